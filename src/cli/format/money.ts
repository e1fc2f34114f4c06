// The number formats live in core, shared with the extension and the review report.
export * from '../../core/format/numbers';

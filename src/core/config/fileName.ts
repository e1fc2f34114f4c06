/** The config file at a repository's root. Its own module so that finding the root loads no schema or YAML code. */
export const CONFIG_FILE = 'prompt-registry.yaml';

import { main } from './main';

// Exit explicitly: a provider's retry-after sleep may still hold a timer after we gave up.
void main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));

/** `--import` this in a worker thread to load TypeScript sources (see typescript-hooks.mjs). */
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);

// node --import ./register.mjs: the resolve hook below for dt-sql-parser.
import { register } from 'node:module';
register('./resolve-hook.mjs', import.meta.url);

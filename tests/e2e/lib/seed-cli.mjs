// lib/seed-cli.mjs BASE EMAIL PASSWORD OUT.json: seeds the test world
// through the API and writes its ids to OUT.json.
import { writeFileSync } from 'node:fs';
import { seed } from './api.mjs';

const [base, email, password, out] = process.argv.slice(2);
const world = await seed(base, email, password);
writeFileSync(out, JSON.stringify(world, null, 2));

import { fileURLToPath } from 'node:url';
import { ELEVATED, elevate, receiveHandover } from './elevate.js';
import { main } from './main.js';

if (process.argv[2] === ELEVATED) {
  await receiveHandover();
  await main();
} else {
  const code = await elevate(fileURLToPath(import.meta.url));
  if (code === undefined) await main();
  else process.exitCode = code;
}

// `.env` in the working directory, as the README promises. Variables already set in the
// environment win, so a one-off `X=1 npm start` still overrides the file.
import { existsSync } from 'node:fs';

export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

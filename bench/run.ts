import { appFigures } from './app.js';
import { breakdownFigures } from './breakdown.js';

// `npm run bench`: one JSON object per line, {"name", "value", "unit", "goal"}.
for (const figure of [...breakdownFigures(), ...(await appFigures())]) console.log(JSON.stringify(figure));

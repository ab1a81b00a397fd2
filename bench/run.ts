import { actionFigures } from './action.js';
import { appFigures } from './app.js';
import { breakdownFigures } from './breakdown.js';

// `npm run bench`: one JSON object per line, {"name", "value", "unit", "goal"}.
const figures = [...breakdownFigures(), ...(await appFigures()), ...(await actionFigures())];
for (const figure of figures) console.log(JSON.stringify(figure));

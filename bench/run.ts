import { actionFigures } from './action.js';
import { appFigures } from './app.js';
import { adversarialFigures, breakdownFigures } from './breakdown.js';
import { loopFigures } from './loop.js';
import { schedulingFigures } from './scheduling.js';

// `npm run bench`: one JSON object per line, {"name", "value", "unit", "goal"}.
const print = (figures: readonly { name: string }[]) => {
  for (const figure of figures) console.log(JSON.stringify(figure));
};
print(breakdownFigures());
print(schedulingFigures());
print(adversarialFigures());
print(await appFigures());
print(await actionFigures());
print(await loopFigures());

import type { Masker } from '../core/gates/mask.js';
import type { ActionIo, Place } from './io.js';

// What the Action hands the runner (log lines, annotations with every field, the job summary,
// outputs, the failure message) passes here and is masked, whichever mode or path produced it.
// The API side has the same guard in the GitHub port; together they are the only exits.

export function maskedIo(io: ActionIo, masker: Masker): ActionIo {
  const mask = (text: string) => masker.mask(text);
  const maskPlace = (place: Place): Place => ({
    ...place,
    file: mask(place.file),
    ...(place.title !== undefined ? { title: mask(place.title) } : {}),
  });
  return {
    info: (message) => io.info(mask(message)),
    warning: (message) => io.warning(mask(message)),
    annotate: (level, message, place) => io.annotate(level, mask(message), place ? maskPlace(place) : undefined),
    summary: (markdown) => io.summary(mask(markdown)),
    output: (name, value) => io.output(name, mask(value)),
    failed: (message) => io.failed(mask(message)),
  };
}

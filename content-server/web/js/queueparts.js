/* queueparts.js: small texts of the moderation queue shared with its
 * other views: a placement's state in lower-case words for the middle of
 * a sentence ("odottaa hyväksyntää"). */
import { t } from './i18n.js';

export function stateWords(state) {
  return t(`queue.state.${state}`);
}

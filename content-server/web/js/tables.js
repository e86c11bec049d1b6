/* tables.js: a table that is readable at 390 px and with the keyboard
 * alone. Wide, it sits in a scroll box that is a labelled region taking
 * the focus (tabindex 0, a visible ring), so that a keyboard user can
 * scroll what does not fit; narrow (40rem and less, css/app.css), each
 * row becomes a card of "heading: value" lines and nothing scrolls
 * sideways. The cells carry their column's heading in data-label for
 * that, kept in the chosen language. */
import { h } from './dom.js';
import { onLangChange } from './i18n.js';

let count = 0;

/* Copies each column heading (its text as now translated) onto the
 * cells of the body and the foot, column spans counted. */
export function labelCells(table) {
  const heads = [...table.querySelectorAll('thead tr:first-child > th')].map((th) => th.textContent.trim());
  for (const tr of table.querySelectorAll('tbody tr, tfoot tr')) {
    let col = 0;
    for (const cell of tr.children) {
      const label = heads[col];
      if (label && cell.colSpan <= 1) cell.dataset.label = label;
      else delete cell.dataset.label;
      col += cell.colSpan || 1;
    }
  }
}

/*
 * The box for `table`: a region named by the table's caption (one is
 * added, visually hidden, from the i18n key `labelKey` when the table
 * has none). Returns the box; the table is inside.
 */
export function tableBox(table, labelKey, labelArgs) {
  let cap = table.querySelector('caption');
  if (!cap) {
    cap = h('caption', { class: 'visually-hidden', i18n: labelKey, args: labelArgs });
    table.prepend(cap);
  }
  if (!cap.id) {
    count += 1;
    cap.id = `table-caption-${count}`;
  }
  table.classList.add('reflow');
  labelCells(table);
  return h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-labelledby': cap.id }, table);
}

/* The headings are translated in place when the language changes; the
 * labels follow them. */
onLangChange(() => {
  document.querySelectorAll('table.reflow').forEach(labelCells);
});

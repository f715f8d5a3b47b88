import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { filterQuery, stateFromQuery, stateToQuery } from './state.ts';

test('view state round-trips through the query string', () => {
  const s = { namespaces: ['a', 'b'], excludeLabels: ['tier=batch', 'x'], excludeInternet: true, since: '1h', q: 'app 1', sel: 'w:a/app-1',
    collapsed: ['c', '(internet)'], view: { zoom: 1.25, x: -10.5, y: 200 } };
  const q = stateToQuery(s);
  assert.equal(stateFromQuery(q), s);
  assert.is(filterQuery(s).toString(), 'namespaces=a%2Cb&excludeLabels=tier%3Dbatch%2Cx&excludeInternet=true&since=1h');
});

test('absent parameters: no filters, size-based folding, fitted view; an empty collapsed list means none folded', () => {
  assert.equal(stateFromQuery(''), { namespaces: [], excludeLabels: [], excludeInternet: false, since: '', q: '', sel: '' });
  assert.equal(stateFromQuery('?collapsed=').collapsed, []);
  assert.is(stateFromQuery('?view=0,1,2').view, undefined, 'zoom must be positive');
  assert.is(stateFromQuery('?view=1,x,2').view, undefined);
  assert.is(stateToQuery(stateFromQuery('')), '');
});

test.run();

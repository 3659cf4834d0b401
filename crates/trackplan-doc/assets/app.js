/* trackplan doc: the script of the plan's documentation page.
 *
 * It reads the plan from the JSON document embedded in the page (written by the trackplan-doc crate),
 * builds the links the plan makes both ways, and shows one view at a time, chosen by the URL's hash:
 *   #                      overview            #map, #map/KIND/ID   the map (and the selected entity)
 *   #KIND/ID               an entity's page    #search?q=..&kind=.. search and filters (browse)
 *   #changelog             the plan's history  #problems            what `trackplan check` finds
 * Everything is built with DOM calls from the data, never from the plan's text as HTML, and nothing is
 * loaded from anywhere: the page works from disk. */
'use strict';
(function () {
  const DATA = JSON.parse(document.getElementById('trackplan-data').textContent);
  const MAIN = document.getElementById('main');
  const SEARCH_INPUT = document.getElementById('q');
  const ANNOUNCE = document.getElementById('announce');

  // ----- DOM helpers -------------------------------------------------------------------------------

  const SVG_NS = 'http://www.w3.org/2000/svg';

  function append(el, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(el, child);
      else el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function attrs(el, given) {
    if (!given) return el;
    for (const [key, value] of Object.entries(given)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    return el;
  }

  /** An HTML element. */
  function h(tag, given, ...children) {
    return append(attrs(document.createElement(tag), given), children);
  }

  /** An SVG element. */
  function s(tag, given, ...children) {
    return append(attrs(document.createElementNS(SVG_NS, tag), given), children);
  }

  function announce(text) {
    ANNOUNCE.textContent = text;
  }

  // ----- the plan ----------------------------------------------------------------------------------

  /** Kinds of entity in the order the page lists them; kinds this script does not know come last. */
  const KINDS = new Map(DATA.kinds.map((kind) => [kind.key, kind]));
  const PREFERRED = ['goal', 'kpi', 'flow', 'event', 'property', 'user-property', 'team'];
  const ORDER = PREFERRED.filter((key) => KINDS.has(key)).concat([...KINDS.keys()].filter((key) => !PREFERRED.includes(key)));
  const MAP_KINDS = ['goal', 'kpi', 'flow', 'event'];

  function noun(kind) {
    return KINDS.has(kind) ? KINDS.get(kind).noun : kind;
  }

  /** "events", "KPIs", "user properties": from the core's table of kinds. */
  function nouns(kind) {
    return KINDS.has(kind) ? KINDS.get(kind).plural : plural(kind);
  }

  /** "Events", "User properties". */
  function heading(kind) {
    return KINDS.has(kind) ? KINDS.get(kind).heading : capital(plural(kind));
  }

  function plural(word) {
    if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
    if (/(ch|sh|s|x)$/.test(word)) return `${word}es`;
    return `${word}s`;
  }

  const NUMBER = new Intl.NumberFormat('en');

  function number(n) {
    return NUMBER.format(n);
  }

  function count(n, word) {
    return `${number(n)} ${n === 1 ? word : plural(word)}`;
  }

  function capital(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /** What an entity links to or is linked from, filled in by `buildLinks`; most lists stay empty,
   * so they are made on first use (a large plan has tens of thousands of entities). */
  const EMPTY = Object.freeze([]);
  const NO_LINKS = { owns: EMPTY, flows: EMPTY, kpis: EMPTY, events: EMPTY, uses: EMPTY, replaces: EMPTY, identity: EMPTY };

  function link(record, key, value) {
    const links = record.$;
    if (!Object.prototype.hasOwnProperty.call(links, key)) links[key] = [];
    links[key].push(value);
  }

  const byKind = new Map();
  const lists = new Map();
  for (const [key, kind] of KINDS) {
    const list = DATA[kind.section] || [];
    const map = new Map();
    const unique = [];
    for (const record of list) {
      record.kind = key;
      record.$ = Object.create(NO_LINKS);
      if (!map.has(record.id)) {
        map.set(record.id, record);
        unique.push(record);
      }
    }
    byKind.set(key, map);
    lists.set(key, unique);
  }

  /** The fields of an event's property entry, `[name, required, overrides, definition]`. */
  const NAME = 0;
  const REQUIRED = 1;
  const OVERRIDES = 2;
  const DEFINITION = 3;

  function get(kind, id) {
    const map = byKind.get(kind);
    return map ? map.get(id) : undefined;
  }

  function all(kind) {
    return lists.get(kind) || [];
  }

  function label(record) {
    return record.name || record.id;
  }

  /** Links the plan writes one way, followed the other way too. */
  function buildLinks() {
    for (const kpi of all('kpi')) {
      const goal = kpi.goal && get('goal', kpi.goal);
      if (goal) link(goal, 'kpis', kpi);
    }
    for (const flow of all('flow')) {
      for (const id of flow.kpis || []) {
        const kpi = get('kpi', id);
        if (kpi) link(kpi, 'flows', flow);
      }
      const roles = new Map();
      const role = (name, text) => {
        if (!roles.has(name)) roles.set(name, []);
        roles.get(name).push(text);
      };
      flow.steps.forEach((name, i) => role(name, `step ${i + 1} of ${flow.steps.length}`));
      for (const [alternative, steps] of flow.alternatives || []) {
        for (const name of steps) role(name, `path ${alternative}`);
      }
      for (const [name, texts] of roles) {
        const event = get('event', name);
        if (event) {
          link(event, 'flows', { flow, roles: [...new Set(texts)] });
          link(flow, 'events', event);
        }
      }
    }
    const properties = byKind.get('property');
    for (const event of all('event')) {
      for (const id of event.kpis || []) {
        const kpi = get('kpi', id);
        if (kpi) link(kpi, 'events', event);
      }
      for (const use of event.props || []) {
        let property = properties && properties.get(use[NAME]);
        if (!property && use[DEFINITION] && properties) {
          // Defined inside events only: Mixpanel keeps one name space of properties, so it has a page.
          property = { id: use[NAME], kind: 'property', inline: true, $: Object.create(NO_LINKS) };
          property.history = (DATA.inline_history || {})[use[NAME]] || [];
          properties.set(use[NAME], property);
          lists.get('property').push(property);
        }
        if (property && property.inline) {
          // What search reads of a property defined in events: what those events say of it.
          const def = use[DEFINITION];
          if (def) property.$.texts = (property.$.texts || '') + `\n${def.description || ''}\n${def.notes || ''}`;
          if (holdsPii(def)) property.pii = true;
        }
        const definition = use[DEFINITION] || (property && !property.inline ? property : null);
        if (holdsPii(definition)) event.$.pii = true;
      }
      if (event.replaced_by) {
        const target = get('event', event.replaced_by);
        if (target) link(target, 'replaces', event);
      }
    }
    for (const kind of ['property', 'user-property']) {
      for (const property of all(kind)) {
        if (property.replaced_by) {
          const target = get(kind, property.replaced_by);
          if (target) link(target, 'replaces', property);
        }
      }
    }
    for (const name of DATA.plan.super_properties || []) {
      const property = get('property', name);
      if (property) property.$.super = true;
    }
    const identity = DATA.plan.identity;
    if (identity) {
      for (const [role, names] of [['identify', identity.identify], ['reset', identity.reset]]) {
        for (const name of names) {
          const event = get('event', name);
          if (event) link(event, 'identity', role);
        }
      }
    }
    for (const kind of ORDER) {
      for (const record of all(kind)) {
        for (const owner of record.owners || []) {
          const team = get('team', owner);
          if (team) link(team, 'owns', record);
        }
      }
    }
  }

  /** A definition that is personal data, or holds some (an object's property, a list's items). */
  function holdsPii(def) {
    if (!def) return false;
    if (def.pii) return true;
    if (def.properties) for (const [, nested] of def.properties) if (holdsPii(nested)) return true;
    return typeof def.items === 'object' && holdsPii(def.items);
  }

  let usesLinked = false;

  /** The events that send a property, with what each says of it. Linked on first use: a large plan
   * has a hundred thousand property entries, and most readers never open a property. */
  function usesOf(property) {
    if (!usesLinked) {
      usesLinked = true;
      for (const event of all('event')) {
        for (const use of event.props || []) {
          const target = get('property', use[NAME]);
          if (target) link(target, 'uses', { event, use });
        }
      }
    }
    return property.$.uses;
  }

  /** The events a KPI is measured by: directly, and through the flows that move it. */
  function kpiEvents(kpi) {
    const out = new Map();
    for (const event of kpi.$.events) out.set(event.id, { event, how: ['directly'] });
    for (const flow of kpi.$.flows) {
      for (const event of flow.$.events) {
        if (!out.has(event.id)) out.set(event.id, { event, how: [] });
        out.get(event.id).how.push(`flow ${label(flow)}`);
      }
    }
    return [...out.values()];
  }

  function goalFlows(goal) {
    const out = new Map();
    for (const kpi of goal.$.kpis) for (const flow of kpi.$.flows) out.set(flow.id, flow);
    return [...out.values()];
  }

  function goalEvents(goal) {
    const out = new Map();
    for (const kpi of goal.$.kpis) for (const { event } of kpiEvents(kpi)) out.set(event.id, event);
    return [...out.values()];
  }

  function isPii(record) {
    if (record.kind === 'event') return Boolean(record.$.pii);
    return Boolean(record.pii);
  }

  // ----- search ------------------------------------------------------------------------------------

  /** How far the search texts are made (`everything` up to here). */
  let prepared = 0;

  function prepareRecord(record) {
    const texts = [record.description, record.notes, (record.tags || []).join(' '), record.definition];
    if (record.inline) texts.push(record.$.texts);
    record.$.n = record.id.toLowerCase();
    record.$.d = (record.name || '').toLowerCase();
    record.$.t = texts.filter(Boolean).join('\n').toLowerCase();
  }

  /** Lower-cased texts of every entity, for search: all of them now (a search needs them). */
  function prepareSearch() {
    while (prepared < everything.length) prepareRecord(everything[prepared++]);
  }

  /** The same while the browser is idle after the page is shown, a slice at a time, so that a
   * click right after opening a large plan is not kept waiting. */
  function prepareSearchWhenIdle() {
    const idle = window.requestIdleCallback || ((work) => setTimeout(() => work({ timeRemaining: () => 8 }), 0));
    const step = (deadline) => {
      while (prepared < everything.length && deadline.timeRemaining() > 1) {
        const end = Math.min(everything.length, prepared + 500);
        while (prepared < end) prepareRecord(everything[prepared++]);
      }
      if (prepared < everything.length) idle(step);
    };
    idle(step);
  }

  function isWordCharacter(c) {
    return c !== undefined && /[\p{L}\p{N}]/u.test(c);
  }

  function wordPrefix(text, word) {
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
      if (!isWordCharacter(text[i - 1])) return true;
    }
    return false;
  }

  /** 0 exact name, 1 name prefix, 2 words of the name, 3 inside the name, 4 in the text; -1 none. */
  function rank(record, query, words) {
    const { n, d } = record.$;
    if (n === query || d === query) return 0;
    if (n.startsWith(query) || (d && d.startsWith(query))) return 1;
    if (words.every((w) => wordPrefix(n, w) || wordPrefix(d, w))) return 2;
    if (n.includes(query) || d.includes(query)) return 3;
    const t = record.$.t;
    if (words.every((w) => n.includes(w) || d.includes(w) || t.includes(w))) return 4;
    return -1;
  }

  const FILTERS = ['kind', 'status', 'owner', 'platform', 'tag', 'pii'];

  function passes(record, filters) {
    if (filters.kind && record.kind !== filters.kind) return false;
    if (filters.status && record.status !== filters.status) return false;
    if (filters.owner && !(record.owners || []).includes(filters.owner)) return false;
    if (filters.platform && !(record.platforms || []).includes(filters.platform)) return false;
    if (filters.tag && !(record.tags || []).includes(filters.tag)) return false;
    if (filters.pii && !isPii(record)) return false;
    return true;
  }

  /** Every entity in list order (kind, then plan order), for search. */
  let everything = [];
  /** The last search, which the next one narrows while the reader keeps typing. */
  let lastSearch = null;
  let generation = 0;

  /** The entities that match, best first: by rank, then kind, then plan order. */
  function search(text, filters) {
    prepareSearch();
    const query = text.trim().toLowerCase().replace(/\s+/g, ' ');
    const words = query.split(' ').filter(Boolean);
    const filterKey = FILTERS.map((key) => filters[key] || '').join('\u0000');
    // What matches "obj" matched "ob": while the reader types on, only the last matches are looked at.
    const narrowing = lastSearch !== null && lastSearch.filterKey === filterKey && lastSearch.query !== '' && query.startsWith(lastSearch.query);
    const previous = narrowing ? lastSearch.generation : -1;
    const current = ++generation;
    const buckets = [[], [], [], [], [], []];
    for (const record of everything) {
      if (narrowing ? record.$.hit !== previous : !passes(record, filters)) continue;
      const r = query === '' ? 5 : rank(record, query, words);
      if (r >= 0) {
        buckets[r].push(record);
        record.$.hit = current;
      }
    }
    lastSearch = { query, filterKey, generation: current };
    return [].concat(...buckets);
  }

  // ----- routes ------------------------------------------------------------------------------------

  function safeDecode(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text;
    }
  }

  function hrefOf(kind, id) {
    return `#${kind}/${encodeURIComponent(id)}`;
  }

  function splitKind(path) {
    const slash = path.indexOf('/');
    return slash < 0 ? [path, ''] : [path.slice(0, slash), safeDecode(path.slice(slash + 1))];
  }

  function currentRoute() {
    const raw = location.hash.slice(1);
    const question = raw.indexOf('?');
    const path = question < 0 ? raw : raw.slice(0, question);
    const params = new URLSearchParams(question < 0 ? '' : raw.slice(question + 1));
    if (path === '' || path === 'overview') return { view: 'overview' };
    if (path === 'map') return { view: 'map' };
    if (path.startsWith('map/')) {
      const [kind, id] = splitKind(path.slice(4));
      return { view: 'map', kind, id };
    }
    if (path === 'search') return { view: 'search', params };
    if (path === 'changelog') return { view: 'changelog' };
    if (path === 'problems') return { view: 'problems' };
    const [kind, id] = splitKind(path);
    if (KINDS.has(kind)) return { view: 'entity', kind, id };
    return { view: 'missing', path };
  }

  function searchHref(query, filters) {
    const params = new URLSearchParams();
    if (query) params.set('q', query);
    for (const key of FILTERS) if (filters[key]) params.set(key, filters[key]);
    const text = params.toString();
    return text ? `#search?${text}` : '#search';
  }

  // ----- pieces of pages ---------------------------------------------------------------------------

  function entityLink(kind, id, text) {
    const record = get(kind, id);
    if (!record) {
      return h('span', { class: 'missing', title: `No ${noun(kind)} named ${id} in this plan` }, text || id, ' ', h('span', { class: 'note' }, '(not in the plan)'));
    }
    return h('a', { href: hrefOf(kind, id), class: `ref kind-${kind}` }, text || label(record));
  }

  function kindBadge(kind) {
    return h('span', { class: `badge kind kind-${kind}` }, noun(kind));
  }

  function statusBadge(status) {
    return status ? h('span', { class: `badge status status-${status}` }, status) : null;
  }

  function badge(text, cls) {
    return h('span', { class: `badge ${cls}` }, text);
  }

  function chips(values, cls) {
    return h('span', { class: 'chips' }, values.map((v) => h('span', { class: `chip ${cls || ''}` }, String(v))));
  }

  function valueText(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  function codes(values) {
    return h('span', { class: 'codes' }, values.map((v, i) => [i > 0 ? ' ' : null, h('code', null, valueText(v))]));
  }

  function prose(text, cls) {
    if (!text) return null;
    return text.split(/\n\s*\n/).map((paragraph) => h('p', { class: cls || 'prose' }, paragraph));
  }

  function encodePath(path) {
    return path.split('/').map(encodeURIComponent).join('/');
  }

  function sourceLink(at) {
    if (!at) return null;
    const [file, line] = at;
    const path = DATA.files[file];
    const text = `${path}:${line}`;
    const source = DATA.source;
    if (!source) return h('code', { class: 'where' }, text);
    const full = source.dir ? `${source.dir}/${path}` : path;
    const url = source.file.replace('{path}', encodePath(full)).replace('{line}', String(line));
    return h('a', { href: url, class: 'where', rel: 'noopener noreferrer', target: '_blank' }, h('code', null, text));
  }

  function commitLink(entry) {
    const source = DATA.source;
    const text = h('code', null, entry.short);
    if (!source || !source.commit) return text;
    return h('a', { href: source.commit.replace('{id}', entry.commit), rel: 'noopener noreferrer', target: '_blank', title: `commit ${entry.commit}` }, text);
  }

  function facts(rows) {
    const kept = rows.filter((row) => row && row[1] !== null && row[1] !== undefined && row[1] !== false && !(Array.isArray(row[1]) && row[1].length === 0));
    if (kept.length === 0) return null;
    return h('dl', { class: 'facts' }, kept.map(([term, value]) => [h('dt', null, term), h('dd', null, value)]));
  }

  function section(title, level, ...content) {
    return h('section', { class: 'block' }, h(`h${level}`, null, title), content);
  }

  function joined(items, separator) {
    return items.map((item, i) => [i > 0 ? separator || ', ' : null, item]);
  }

  /** A list that shows its first items and a button for the rest (a team may own thousands). */
  function limited(items, render, limit, tag) {
    const list = h(tag || 'ul', { class: 'list' });
    const first = items.slice(0, limit || 200);
    for (const item of first) list.append(render(item));
    if (items.length <= first.length) return list;
    const more = h('button', {
      type: 'button',
      class: 'more',
      onclick: () => {
        for (const item of items.slice(first.length)) list.append(render(item));
        more.remove();
      },
    }, `Show all ${number(items.length)}`);
    return h('div', null, list, more);
  }

  function table(head, rows, caption) {
    // The wrapper scrolls a wide table sideways, so it takes the focus (keyboards scroll it too).
    return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
      h('table', null,
        caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
        h('thead', null, h('tr', null, head.map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', null, rows)));
  }

  // ----- history -----------------------------------------------------------------------------------

  const LEVELS = ['breaking', 'dangerous', 'safe'];

  function changeTarget(change) {
    if (change.entity === 'plan' || change.entity === 'conventions' || change.entity === 'identity') return ['overview', ''];
    if (change.entity === 'super-property') return ['property', change.name];
    return [change.entity, change.name];
  }

  function changeItem(change) {
    const [kind, name] = changeTarget(change);
    const target = kind === 'overview' ? h('a', { href: '#' }, 'plan settings') : get(kind, name) ? entityLink(kind, name) : h('span', { class: 'gone' }, name);
    return h('li', { class: `change level-${change.level}` },
      badge(change.level, `level level-${change.level}`), ' ',
      h('span', { class: 'summary' }, change.summary), ' ',
      h('span', { class: 'note' }, '· ', target, ' · ', h('code', null, change.kind)));
  }

  function entryMeta(entry) {
    return h('p', { class: 'meta' },
      commitLink(entry), ' by ', entry.author, ' · ', h('time', { datetime: entry.date }, entry.date),
      entry.tags && entry.tags.length ? [' · tagged ', joined(entry.tags.map((t) => h('code', null, t)))] : null,
      entry.release ? [' · released in ', h('code', null, entry.release)] : [' · not released yet']);
  }

  function outcomeText(entry) {
    switch (entry.status) {
      case 'created': return `The plan was created here with ${count(entry.changes.filter((c) => c.kind.endsWith('-added')).length, 'entity')}.`;
      case 'removed': return 'The plan was removed here.';
      case 'unreadable': return `The plan does not parse at this commit (${entry.error}); it is skipped and the next commit is compared with the last one where the plan parses.`;
      case 'shallow-boundary': return 'This shallow clone\'s history starts here, so what this commit changed is unknown (fetch the full history to see it).';
      default: return entry.compared_with ? `Compared with ${entry.compared_with}: the plan does not parse at the commits in between.` : null;
    }
  }

  function changeList(changes) {
    const sorted = changes.slice().sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level));
    if (sorted.length <= 30) return h('ul', { class: 'changes' }, sorted.map(changeItem));
    return h('details', null, h('summary', null, `${count(sorted.length, 'change')}`), limited(sorted, changeItem, 500));
  }

  function levelCounts(changes) {
    const parts = LEVELS.map((level) => [level, changes.filter((c) => c.level === level).length]).filter(([, n]) => n > 0);
    return parts.map(([level, n]) => badge(`${n} ${level}`, `level level-${level}`));
  }

  /** The commits that changed an entity, with the changes that concern it. */
  function historyBlock(commits, level) {
    if (!DATA.history) {
      return section('History', level, h('p', { class: 'note' }, 'No history: the plan is not in a git repository, or the page was written without it.'));
    }
    if (!commits || commits.length === 0) {
      return section('History', level, h('p', { class: 'note' }, `No commit up to ${DATA.history.head} changed it.`));
    }
    const items = commits.map(([index, changeIndexes]) => {
      const entry = DATA.history.entries[index];
      const changes = changeIndexes.map((i) => entry.changes[i]);
      return h('li', { class: 'commit' },
        h('p', { class: 'subject' }, h('time', { datetime: entry.date }, entry.date), ' · ', entry.subject),
        entryMeta(entry),
        changeList(changes));
    });
    return section(`History (${count(commits.length, 'commit')})`, level, h('ol', { class: 'commits' }, items));
  }

  /** Where an entity that is not in the plan went, from the history. */
  function removal(kind, id) {
    if (!DATA.history) return null;
    for (const entry of DATA.history.entries) {
      for (const change of entry.changes) {
        const [k, name] = changeTarget(change);
        if (k === kind && name === id && /-(removed|renamed)$/.test(change.kind)) {
          return h('p', null, `${entry.date}, commit `, commitLink(entry), `: ${change.summary}`);
        }
      }
    }
    return null;
  }

  // ----- entity pages ------------------------------------------------------------------------------

  function problemsBlock(indexes, level) {
    if (!indexes || indexes.length === 0) return null;
    return section(`Problems (${indexes.length})`, level, h('ul', { class: 'problems' }, indexes.map((i) => problemItem(DATA.problems[i], false))));
  }

  function problemItem(problem, withEntity) {
    return h('li', { class: `problem severity-${problem.severity}` },
      badge(problem.severity, `severity severity-${problem.severity}`), ' ',
      h('span', null, problem.message), ' ',
      h('span', { class: 'note' }, '· ', h('code', null, problem.rule), ' · ', sourceLink(problem.at),
        withEntity && problem.entity ? [' · ', entityLink(problem.entity[0], problem.entity[1])] : null),
      problem.help ? h('p', { class: 'help' }, problem.help) : null);
  }

  function ownerFact(record) {
    const owners = record.owners || [];
    if (owners.length === 0) return null;
    const one = (id) => {
      const team = get('team', id);
      return [entityLink('team', id), team && team.contact ? h('span', { class: 'note' }, ` (${team.contact})`) : null];
    };
    return [owners.length === 1 ? 'Owner' : 'Owners', joined(owners.map(one))];
  }

  /** `links:` as links; a value that is not a web or mail address (reported by check) stays text. */
  function linksFact(record) {
    const links = record.links || [];
    if (links.length === 0) return null;
    const one = ([label, url]) => (/^(https?:|mailto:)/i.test(url)
      ? h('a', { href: url, rel: 'noopener noreferrer' }, label)
      : [label, ': ', h('code', null, url)]);
    return ['Links', joined(links.map(one))];
  }

  const SENSITIVITY = {
    public: 'public: may be shown to anyone',
    internal: 'internal: for the company only',
    personal: 'personal: data about a person (PII)',
    'highly-sensitive': 'highly sensitive: health, finance, credentials and the like',
  };

  function sensitivityFact(record) {
    return ['Sensitivity', record.sensitivity ? SENSITIVITY[record.sensitivity] || record.sensitivity : null];
  }

  function expiresFact(record) {
    return ['Expires', record.expires || null];
  }

  function propertyFacts(def, record) {
    return [
      ['Type', def.type ? h('code', null, def.type) : null],
      ['Values', def.enum ? codes(def.enum) : null],
      ['Examples', def.examples && def.examples.length ? codes(def.examples) : null],
      ['Pattern', def.pattern ? h('code', null, def.pattern) : null],
      ['Minimum', def.min !== undefined ? String(def.min) : null],
      ['Maximum', def.max !== undefined ? String(def.max) : null],
      ['Items', def.items ? (typeof def.items === 'string' ? h('code', null, def.items) : itemsText(def.items)) : null],
      ['Personal data', def.pii ? 'yes: this property holds personal data (PII)' : null],
      sensitivityFact(def),
      expiresFact(def),
      ['Deprecated', def.deprecated ? 'yes' : null],
      ['Replaced by', def.replaced_by ? entityLink(record ? record.kind : 'property', def.replaced_by) : null],
    ];
  }

  function itemsText(def) {
    return [h('code', null, def.type || 'object'), def.properties && def.properties.length ? ` with ${count(def.properties.length, 'property')}` : null];
  }

  /** An object's nested properties (and a list's item properties), as a table. */
  function nestedTable(def) {
    const nested = def.properties && def.properties.length ? def.properties : def.items && typeof def.items === 'object' ? def.items.properties || [] : [];
    if (nested.length === 0) return null;
    const rows = [];
    const walk = (entries, prefix) => {
      for (const [name, d] of entries) {
        rows.push(h('tr', null,
          h('td', null, h('code', null, prefix + name)),
          h('td', null, d.type ? h('code', null, d.type) : ''),
          h('td', null, d.description || '', d.enum ? [' ', codes(d.enum)] : null, d.pii ? [' ', badge('PII', 'pii')] : null)));
        if (d.properties) walk(d.properties, `${prefix}${name}.`);
        if (d.items && typeof d.items === 'object' && d.items.properties) walk(d.items.properties, `${prefix}${name}[].`);
      }
    };
    walk(nested, '');
    return table(['Property', 'Type', 'Description'], rows, 'Nested properties');
  }

  function eventPropertiesBlock(event, level) {
    const uses = event.props || [];
    const rows = uses.map((use) => {
      const dictionary = use[DEFINITION] ? null : get('property', use[NAME]);
      const def = use[DEFINITION] || dictionary || {};
      const ov = use[OVERRIDES] || {};
      const description = ov.description || def.description;
      const values = ov.enum || def.enum;
      const examples = ov.examples && ov.examples.length ? ov.examples : def.examples;
      return h('tr', null,
        h('th', { scope: 'row' }, entityLink('property', use[NAME], use[NAME])),
        h('td', null, def.type ? h('code', null, def.type) : h('span', { class: 'note' }, use[DEFINITION] ? '' : dictionary ? '' : 'not in the dictionary')),
        h('td', null, use[REQUIRED] === true ? badge('required', 'required') : use[REQUIRED] === false ? 'optional' : h('span', { class: 'note' }, 'not said')),
        h('td', null,
          description || '',
          values ? h('div', null, 'Values: ', codes(values)) : null,
          examples && examples.length ? h('div', null, 'Examples: ', codes(examples)) : null,
          ov.notes || (use[DEFINITION] && use[DEFINITION].notes) ? h('div', { class: 'note' }, ov.notes || use[DEFINITION].notes) : null),
        h('td', null,
          def.pii ? badge('PII', 'pii') : null,
          def.deprecated ? badge('deprecated', 'deprecated') : null,
          use[DEFINITION] ? badge('own', 'own') : null));
    });
    const supers = DATA.plan.super_properties || [];
    return section(`Properties (${uses.length})`, level,
      uses.length ? table(['Property', 'Type', 'Required', 'Description', 'Marks'], rows, `Properties of ${event.id}`) : h('p', { class: 'note' }, 'The plan lists no properties for this event.'),
      supers.length ? h('p', { class: 'note' }, 'Sent with every event as super properties: ', joined(supers.map((n) => entityLink('property', n, n)))) : null);
  }

  function eventsTable(rows, caption) {
    return table(['Event', 'Status', 'How'], rows.map(({ event, how }) => h('tr', null,
      h('th', { scope: 'row' }, entityLink('event', event.id)),
      h('td', null, statusBadge(event.status)),
      h('td', null, how.join('; ')))), caption);
  }

  function kindSections(record, level) {
    const sub = level + 1;
    switch (record.kind) {
      case 'goal': {
        const kpis = record.$.kpis.slice().sort((a, b) => (a.priority || 99) - (b.priority || 99));
        const flows = goalFlows(record);
        const events = goalEvents(record);
        return [
          section(`KPIs (${kpis.length})`, sub, kpis.length ? h('ul', { class: 'list' }, kpis.map((kpi) => h('li', null, entityLink('kpi', kpi.id), kpi.priority ? h('span', { class: 'note' }, ` · priority ${kpi.priority}`) : null, kpi.definition ? h('div', { class: 'note' }, kpi.definition) : null))) : h('p', { class: 'note' }, 'No KPI measures this goal yet.')),
          section(`Flows (${flows.length})`, sub, flows.length ? limited(flows, (f) => h('li', null, entityLink('flow', f.id))) : h('p', { class: 'note' }, 'No flow moves its KPIs.')),
          section(`Events (${events.length})`, sub, events.length ? limited(events, (e) => h('li', null, entityLink('event', e.id), ' ', statusBadge(e.status))) : h('p', { class: 'note' }, 'No event measures it yet.')),
        ];
      }
      case 'kpi': {
        const events = kpiEvents(record);
        return [
          section(`Flows that move it (${record.$.flows.length})`, sub, record.$.flows.length ? h('ul', { class: 'list' }, record.$.flows.map((flow) => h('li', null, entityLink('flow', flow.id), h('span', { class: 'note' }, ` · ${count(flow.steps.length, 'step')}`)))) : h('p', { class: 'note' }, 'No flow moves this KPI.')),
          section(`Events (${events.length})`, sub, events.length ? eventsTable(events, `Events of ${record.id}`) : h('p', { class: 'note' }, 'No event measures this KPI.')),
        ];
      }
      case 'flow':
        return [
          section('Funnel', sub, funnel(record)),
          section(`Steps (${record.steps.length})`, sub, h('ol', { class: 'list steps' }, record.steps.map((name) => h('li', null, entityLink('event', name), ' ', get('event', name) ? statusBadge(get('event', name).status) : null)))),
          (record.alternatives || []).length ? section(`Alternative paths (${record.alternatives.length})`, sub, record.alternatives.map(([id, steps]) => h('div', { class: 'alternative' }, h(`h${sub + 1}`, null, id), h('ol', { class: 'list steps' }, steps.map((name) => h('li', null, entityLink('event', name))))))) : null,
        ];
      case 'event': {
        const viaFlows = new Map();
        for (const { flow } of record.$.flows) for (const id of flow.kpis || []) if (!viaFlows.has(id)) viaFlows.set(id, flow);
        const kpis = [...new Set([...(record.kpis || []), ...viaFlows.keys()])];
        return [
          eventPropertiesBlock(record, sub),
          section(`Flows (${record.$.flows.length})`, sub, record.$.flows.length ? h('ul', { class: 'list' }, record.$.flows.map(({ flow, roles }) => h('li', null, entityLink('flow', flow.id), h('span', { class: 'note' }, ` · ${roles.join(', ')}`)))) : h('p', { class: 'note' }, 'No flow uses this event.')),
          section(`KPIs (${kpis.length})`, sub, kpis.length ? h('ul', { class: 'list' }, kpis.map((id) => {
            const kpi = get('kpi', id);
            const direct = (record.kpis || []).includes(id);
            return h('li', null, entityLink('kpi', id), h('span', { class: 'note' }, direct ? ' · directly' : ` · through flow ${label(viaFlows.get(id))}`), kpi && kpi.goal ? h('span', { class: 'note' }, [' · goal ', entityLink('goal', kpi.goal)]) : null);
          })) : h('p', { class: 'note' }, 'No KPI is measured by this event.')),
        ];
      }
      case 'property':
      case 'user-property': {
        const uses = usesOf(record);
        const blocks = [];
        if (record.inline) {
          blocks.push(section('Definitions', sub, h('ul', { class: 'list' }, uses.filter((u) => u.use[DEFINITION]).map(({ event, use }) => h('li', null, 'In ', entityLink('event', event.id), ': ', use[DEFINITION].type ? h('code', null, use[DEFINITION].type) : null, use[DEFINITION].description ? ` · ${use[DEFINITION].description}` : null, use[DEFINITION].pii ? [' ', badge('PII', 'pii')] : null, ' ', sourceLink(use[DEFINITION].at))))));
        } else {
          blocks.push(nestedTable(record));
        }
        if (record.kind === 'property') {
          blocks.push(section(`Events (${uses.length})`, sub, uses.length ? table(['Event', 'Required', 'What the event says'], uses.map(({ event, use }) => h('tr', null,
            h('th', { scope: 'row' }, entityLink('event', event.id)),
            h('td', null, use[REQUIRED] === true ? badge('required', 'required') : use[REQUIRED] === false ? 'optional' : h('span', { class: 'note' }, 'not said')),
            h('td', null, use[DEFINITION] ? 'its own definition' : use[OVERRIDES] ? [use[OVERRIDES].description || '', use[OVERRIDES].enum ? [' values: ', codes(use[OVERRIDES].enum)] : null] : ''))), `Events sending ${record.id}`)
            : h('p', { class: 'note' }, record.$.super ? 'No event lists it: it is a super property, sent with every event.' : 'No event sends this property.')));
        }
        return blocks;
      }
      case 'team': {
        const owned = record.$.owns;
        const groups = ORDER.map((kind) => [kind, owned.filter((r) => r.kind === kind)]).filter(([, list]) => list.length);
        return [section(`Owns (${owned.length})`, sub, groups.length ? groups.map(([kind, list]) => h('div', { class: 'owned' },
          h(`h${sub + 1}`, null, `${heading(kind)} (${list.length})`),
          limited(list, (r) => h('li', null, entityLink(kind, r.id), ' ', statusBadge(r.status))))) : h('p', { class: 'note' }, 'This team owns nothing in the plan yet.'))];
      }
      default:
        return [];
    }
  }

  function entityFacts(record) {
    const kind = record.kind;
    const rows = [
      ownerFact(record),
      linksFact(record),
      kind === 'event' ? sensitivityFact(record) : null,
      kind === 'event' ? expiresFact(record) : null,
      ['Platforms', record.platforms && record.platforms.length ? chips(record.platforms, 'platform') : null],
      ['Tags', record.tags && record.tags.length ? chips(record.tags, 'tag') : null],
      kind === 'team' ? ['Contact', record.contact || null] : null,
      kind === 'kpi' ? ['Goal', record.goal ? entityLink('goal', record.goal) : h('span', { class: 'note' }, 'none')] : null,
      kind === 'kpi' ? ['Priority', record.priority !== undefined ? `${record.priority}${record.priority === 1 ? ' (part of the onboarding focus)' : ''}` : null] : null,
      kind === 'kpi' ? ['Definition', record.definition || null] : null,
      kind === 'flow' ? ['KPIs', (record.kpis || []).length ? joined(record.kpis.map((id) => entityLink('kpi', id))) : h('span', { class: 'note' }, 'none')] : null,
      kind === 'event' ? ['Replaced by', record.replaced_by ? entityLink('event', record.replaced_by) : null] : null,
      kind === 'event' && record.$.identity.length ? ['Identity', record.$.identity.map((role) => (role === 'identify' ? 'identify(user id) is called after this event' : 'reset() is called after this event')).join('; ')] : null,
    ];
    if (kind === 'property' || kind === 'user-property') {
      if (!record.inline) rows.push(...propertyFacts(record, record));
      if (record.$.super) rows.push(['Super property', 'yes: registered once and sent with every event']);
    }
    if (record.$.replaces.length) rows.push(['Replaces', joined(record.$.replaces.map((r) => entityLink(kind, r.id)))]);
    rows.push(['Defined in', record.inline ? 'inside the events below' : sourceLink(record.at)]);
    return facts(rows);
  }

  function markBadges(record) {
    const out = [kindBadge(record.kind), statusBadge(record.status)];
    if (isPii(record)) out.push(badge(record.kind === 'event' ? 'sends PII' : 'PII', 'pii'));
    if (record.sensitivity) out.push(badge(record.sensitivity, `sensitivity sensitivity-${record.sensitivity}`));
    if (record.deprecated) out.push(badge('deprecated', 'deprecated'));
    if (record.kind === 'kpi' && record.priority !== undefined) out.push(badge(`priority ${record.priority}`, 'priority'));
    if (record.inline) out.push(badge('defined in events only', 'own'));
    if (record.problems && record.problems.length) out.push(badge(count(record.problems.length, 'problem'), 'severity severity-warning'));
    return h('p', { class: 'badges' }, joined(out, ' '));
  }

  /** An entity's page; `level` is the level of its heading (1 on its own page, 2 beside the map). */
  function entityPage(kind, id, level) {
    const record = get(kind, id);
    if (!record) {
      const similar = search(id, {}).slice(0, 5);
      return h('article', { class: 'entity missing-entity' },
        h(`h${level}`, { tabindex: '-1' }, `No ${noun(kind)} named “${id}”`),
        h('p', null, `This plan has no ${noun(kind)} of that name.`),
        removal(kind, id),
        similar.length ? [h('p', null, 'Similar names:'), h('ul', { class: 'list' }, similar.map((r) => h('li', null, kindBadge(r.kind), ' ', entityLink(r.kind, r.id))))] : null);
    }
    const info = KINDS.get(kind);
    const sub = level + 1;
    return h('article', { class: `entity kind-${kind}`, 'data-kind': kind, 'data-id': record.id },
      h('p', { class: 'crumbs' }, crumbs(record)),
      h(`h${level}`, { tabindex: '-1', class: 'title' }, label(record), info && info.by_id ? [' ', h('code', { class: 'id' }, record.id)] : null),
      markBadges(record),
      prose(record.description, 'lead'),
      entityFacts(record),
      record.notes ? section('Notes for other teams', sub, prose(record.notes)) : null,
      kindSections(record, level),
      problemsBlock(record.problems, sub),
      historyBlock(record.history, sub),
      h('p', { class: 'actions no-print' },
        MAP_KINDS.includes(kind) ? h('a', { href: `#map/${kind}/${encodeURIComponent(record.id)}` }, 'Show on the map') : null,
        ' ', h('button', { type: 'button', onclick: () => window.print() }, 'Print this page')));
  }

  function crumbs(record) {
    const parts = [h('a', { href: searchHref('', { kind: record.kind }) }, heading(record.kind))];
    if (record.kind === 'kpi' && record.goal && get('goal', record.goal)) parts.unshift(entityLink('goal', record.goal));
    if (record.kind === 'flow') {
      const kpi = (record.kpis || []).map((id) => get('kpi', id)).find(Boolean);
      if (kpi) parts.unshift(entityLink('kpi', kpi.id));
      if (kpi && kpi.goal && get('goal', kpi.goal)) parts.unshift(entityLink('goal', kpi.goal));
    }
    return joined(parts, ' › ');
  }

  // ----- the funnel of a flow ----------------------------------------------------------------------

  /** A flow drawn as its funnel of steps, each alternative path in a lane beside it, joining the
   * funnel where it shares a step. */
  function funnel(flow) {
    const steps = flow.steps;
    const alternatives = flow.alternatives || [];
    if (steps.length === 0 && alternatives.length === 0) return h('p', { class: 'note' }, 'This flow has no steps yet.');
    const BAR = 34;
    const MAIN_WIDTH = 300;
    const LANE = 200;
    const BOX = 180;
    const rowOf = new Map(steps.map((name, i) => [name, 2 * i]));
    const lanes = alternatives.map(([id, path]) => ({ id, points: placeAlternative(path, rowOf) }));
    // Every row any step stands on gets a slot of its own, in order, so nothing overlaps.
    const rows = new Set(steps.map((_, i) => 2 * i));
    for (const lane of lanes) for (const p of lane.points) rows.add(p.row);
    const slots = new Map([...rows].sort((a, b) => a - b).map((row, i) => [row, i]));
    const yOf = (row) => 34 + slots.get(row) * (BAR + 12);
    const bottom = Math.max(...slots.keys());
    const width = MAIN_WIDTH + 20 + lanes.length * LANE;
    const height = yOf(bottom) + BAR + 10;
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'funnel', role: 'group', 'aria-label': `Funnel of ${label(flow)}: ${steps.join(', then ')}${alternatives.length ? `; ${count(alternatives.length, 'alternative path')}` : ''}` });
    const center = MAIN_WIDTH / 2;
    const barWidth = (i) => steps.length <= 1 ? MAIN_WIDTH - 10 : (MAIN_WIDTH - 10) * (1 - 0.3 * (i / (steps.length - 1)));
    svg.append(s('text', { x: center, y: 20, class: 'lane-title', 'text-anchor': 'middle' }, 'Steps'));
    steps.forEach((name, i) => {
      const w = barWidth(i);
      const next = i + 1 < steps.length ? barWidth(i + 1) : w * 0.9;
      const y = yOf(2 * i);
      const event = get('event', name);
      const shape = s('path', { d: `M${center - w / 2},${y} L${center + w / 2},${y} L${center + next / 2},${y + BAR} L${center - next / 2},${y + BAR} Z`, class: `bar ${event ? `status-${event.status || 'none'}` : 'unknown'}` });
      const text = s('text', { x: center, y: y + BAR / 2 + 4, 'text-anchor': 'middle', class: 'bar-label' }, fit(`${i + 1}. ${name}`, Math.floor(next / 7.2)));
      svg.append(stepLink(name, `${i + 1}. ${name}`, [shape, text]));
    });
    // Faint guides along the funnel's rows, so that a lane's shared steps line up with the funnel.
    steps.forEach((name, i) => {
      const y = yOf(2 * i) + BAR / 2;
      if (lanes.length) svg.insertBefore(s('line', { x1: center, x2: width, y1: y, y2: y, class: 'row-guide' }), svg.children[1] || null);
    });
    lanes.forEach((lane, k) => {
      const x = MAIN_WIDTH + 20 + k * LANE;
      const colour = `lane-${k % 5}`;
      svg.append(s('text', { x: x + BOX / 2, y: 20, class: 'lane-title', 'text-anchor': 'middle' }, fit(`path ${lane.id}`, 26)));
      const ys = lane.points.map((p) => yOf(p.row));
      for (let i = 1; i < ys.length; i++) {
        svg.append(s('line', { x1: x + BOX / 2, x2: x + BOX / 2, y1: ys[i - 1] + BAR, y2: ys[i], class: `lane-path ${colour}` }));
      }
      lane.points.forEach((p, i) => {
        const event = get('event', p.name);
        const cls = p.shared ? `box shared ${colour}` : `box ${event ? `status-${event.status || 'none'}` : 'unknown'} ${colour}`;
        svg.append(stepLink(p.name, p.shared ? `${p.name}, a step of the funnel too` : p.name, [
          s('rect', { x, y: ys[i], width: BOX, height: BAR, rx: 6, class: cls }),
          s('text', { x: x + BOX / 2, y: ys[i] + BAR / 2 + 4, 'text-anchor': 'middle', class: p.shared ? 'box-label shared' : 'box-label' }, fit(p.name, 24)),
        ]));
      });
    });
    return h('figure', { class: 'funnel-figure' },
      h('div', { class: 'scroll', tabindex: '0', role: 'group', 'aria-label': `Funnel of ${label(flow)}` }, svg),
      h('figcaption', { class: 'note' }, steps.length ? `${count(steps.length, 'step')} from ${steps[0]} to ${steps[steps.length - 1]}` : 'No main steps', alternatives.length ? `; ${count(alternatives.length, 'alternative path')} beside them, their steps shared with the funnel on its rows (dashed).` : '.'));
  }

    /** A step drawn as a link to its event; `text` is the full text drawn (which may be cut short). */
  function stepLink(name, text, shapes) {
    const event = get('event', name);
    if (!event) return s('g', { class: 'step unknown', 'data-id': name }, shapes, s('title', null, `${text} (not in the plan)`));
    return s('a', { href: hrefOf('event', name), class: 'step', 'data-id': name, 'aria-label': text }, shapes, s('title', null, text));
  }

  /** Rows of an alternative's steps: shared steps on their funnel row, the others between them. */
  function placeAlternative(path, rowOf) {
    const points = path.map((name) => ({ name, shared: rowOf.has(name), row: 0 }));
    const matched = points.filter((p) => p.shared).map((p) => rowOf.get(p.name));
    const ascending = matched.every((row, i) => i === 0 || row > matched[i - 1]);
    if (matched.length === 0 || !ascending) {
      // Nothing to align with (or another order): the path on its own rows from the top.
      points.forEach((p, i) => { p.shared = false; p.row = 2 * i; });
      return points;
    }
    let previous = null;
    let pending = [];
    const settle = (next) => {
      pending.forEach((p, j) => {
        if (previous === null) p.row = next - 2 * (pending.length - j);
        else if (next === null) p.row = previous + 2 * (j + 1);
        else p.row = previous + ((next - previous) * (j + 1)) / (pending.length + 1);
      });
      pending = [];
    };
    for (const p of points) {
      if (p.shared) {
        p.row = rowOf.get(p.name);
        settle(p.row);
        previous = p.row;
      } else pending.push(p);
    }
    settle(null);
    return points;
  }

  function fit(text, max) {
    return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
  }

  // ----- the map -----------------------------------------------------------------------------------

  const NODE_W = 204;
  const NODE_H = 42;
  const ROW = 52;
  const COLUMN = 252;
  const BAND_GAP = 28;
  const COLUMN_OF = { group: 0, goal: 0, kpi: 1, flow: 2, event: 3 };
  /** Above this many events the map opens with each KPI folded. */
  const FOLD_ABOVE = 150;

  function nodeKey(kind, id) {
    return `${kind}\u0000${id}`;
  }

  /** The map: goals → KPIs → flows → events, laid out as a tree where each entity hangs under its
   * first parent (a KPI under its goal, a flow under its first KPI, an event under the first flow
   * that uses it); its other links are drawn as lighter edges. Goals, KPIs and flows fold. */
  class PlanMap {
    constructor() {
      this.nodes = new Map();
      this.roots = [];
      this.links = [];
      this.expanded = new Set();
      this.selected = null;
      this.focused = null;
      this.view = { x: 24, y: 48, k: 1 };
      this.build();
      for (const node of this.nodes.values()) {
        if (node.children.length && (node.kind === 'goal' || node.kind === 'group' || all('event').length <= FOLD_ABOVE)) this.expanded.add(node.key);
      }
      this.element = this.frame();
      this.draw();
    }

    build() {
      const make = (kind, record, text) => {
        const node = { key: record ? nodeKey(kind, record.id) : `${kind}\u0000`, kind, record, text, children: [], parent: null };
        this.nodes.set(node.key, node);
        return node;
      };
      const attach = (parent, child) => {
        child.parent = parent;
        parent.children.push(child);
      };
      const unlinked = make('group', null, 'Not linked to a goal');
      const goals = new Map();
      for (const goal of all('goal')) {
        const node = make('goal', goal);
        goals.set(goal.id, node);
        this.roots.push(node);
      }
      for (const kpi of all('kpi')) {
        attach(goals.get(kpi.goal) || unlinked, make('kpi', kpi));
        if (goals.has(kpi.goal)) this.links.push([nodeKey('goal', kpi.goal), nodeKey('kpi', kpi.id)]);
      }
      for (const flow of all('flow')) {
        const kpis = (flow.kpis || []).filter((id) => get('kpi', id));
        attach(kpis.length ? this.nodes.get(nodeKey('kpi', kpis[0])) : unlinked, make('flow', flow));
        for (const id of kpis) this.links.push([nodeKey('kpi', id), nodeKey('flow', flow.id)]);
      }
      for (const event of all('event')) {
        const kpis = (event.kpis || []).filter((id) => get('kpi', id));
        const first = event.$.flows.length ? nodeKey('flow', event.$.flows[0].flow.id) : kpis.length ? nodeKey('kpi', kpis[0]) : null;
        attach(first ? this.nodes.get(first) : unlinked, make('event', event));
        for (const { flow } of event.$.flows) this.links.push([nodeKey('flow', flow.id), nodeKey('event', event.id)]);
        for (const id of kpis) this.links.push([nodeKey('kpi', id), nodeKey('event', event.id)]);
      }
      if (unlinked.children.length) this.roots.push(unlinked);
      else this.nodes.delete(unlinked.key);
    }

    /** The toolbar, the drawing and the panel beside it. */
    frame() {
      // Symbols are named for screen readers; worded buttons are named by their words.
      const button = (text, title, action) => h('button', { type: 'button', title, 'aria-label': text.length === 1 ? title : null, onclick: action }, text);
      this.svg = s('svg', { class: 'map-svg', role: 'group', 'aria-label': 'Map of the plan: goals, KPIs, flows and events. Arrow keys move between nodes, Enter opens one, Space folds it.' });
      this.viewport = s('g', { class: 'viewport' });
      this.svg.append(this.viewport);
      this.canvas = h('div', { class: 'map-canvas' }, this.svg);
      this.panel = h('aside', { class: 'map-panel', 'aria-label': 'Selected entity' });
      this.hint();
      const toolbar = h('div', { class: 'map-toolbar no-print', role: 'toolbar', 'aria-label': 'Map controls' },
        button('+', 'Zoom in', () => this.zoom(1.25)),
        button('−', 'Zoom out', () => this.zoom(0.8)),
        button('Fit', 'Fit the map to the window', () => this.fit()),
        button('Unfold all', 'Unfold every goal, KPI and flow', () => this.unfoldAll(true)),
        button('Fold all', 'Fold every KPI and flow', () => this.unfoldAll(false)),
        h('span', { class: 'note legend' }, `${count(all('goal').length, 'goal')} · ${count(all('kpi').length, 'KPI')} · ${count(all('flow').length, 'flow')} · ${count(all('event').length, 'event')}`));
      const root = h('div', { class: 'map-view' },
        h('h1', { class: 'visually-hidden', tabindex: '-1' }, 'Map of the plan'),
        toolbar,
        h('div', { class: 'map-body' }, this.canvas, this.panel));
      this.listen();
      return root;
    }

    hint() {
      this.panel.replaceChildren(h('div', { class: 'hint' },
        h('h2', null, 'Map of the plan'),
        h('p', null, 'Goals on the left, then the KPIs that measure them, the flows that move the KPIs and the events of each flow.'),
        h('p', null, 'Click a node to open it and light up its path to the goal. Fold and unfold with the round buttons, zoom with the wheel or the buttons, drag to pan.'),
        h('p', { class: 'note' }, 'Keyboard: arrow keys move between nodes, Enter opens one, Space folds or unfolds it, + and − zoom, 0 fits.')));
    }

    visible(node) {
      for (let p = node.parent; p; p = p.parent) if (!this.expanded.has(p.key)) return false;
      return true;
    }

    /** The nearest ancestor that is shown (the node itself when it is). */
    shown(node) {
      let out = node;
      for (let p = node.parent; p; p = p.parent) if (!this.expanded.has(p.key)) out = p;
      return out;
    }

    layout() {
      const position = new Map();
      let y = 0;
      const place = (node) => {
        const x = COLUMN_OF[node.kind] * COLUMN;
        if (node.children.length && this.expanded.has(node.key)) {
          for (const child of node.children) place(child);
          const first = position.get(node.children[0].key).y;
          const last = position.get(node.children[node.children.length - 1].key).y;
          position.set(node.key, { x, y: (first + last) / 2 });
        } else {
          position.set(node.key, { x, y });
          y += ROW;
        }
      };
      for (const root of this.roots) {
        place(root);
        y += BAND_GAP;
      }
      this.height = y;
      return position;
    }

    hiddenCounts(node) {
      const counts = {};
      const walk = (n) => {
        for (const child of n.children) {
          counts[child.kind] = (counts[child.kind] || 0) + 1;
          walk(child);
        }
      };
      walk(node);
      return ['kpi', 'flow', 'event'].filter((k) => counts[k]).map((k) => count(counts[k], noun(k))).join(' · ');
    }

    draw() {
      const position = this.layout();
      this.position = position;
      const edges = s('g', { class: 'edges' });
      const seen = new Set();
      for (const [from, to] of this.links) {
        const a = this.shown(this.nodes.get(from));
        const b = this.shown(this.nodes.get(to));
        const pa = position.get(a.key);
        const pb = position.get(b.key);
        if (!pa || !pb || pa.x >= pb.x) continue;
        const key = `${a.key}\u0001${b.key}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const x1 = pa.x + NODE_W;
        const y1 = pa.y + NODE_H / 2;
        const x2 = pb.x;
        const y2 = pb.y + NODE_H / 2;
        const bend = Math.max(30, (x2 - x1) / 2);
        const primary = b.parent === a;
        const path = s('path', { d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`, class: primary ? 'edge' : 'edge secondary' });
        path.dataset.from = a.key;
        path.dataset.to = b.key;
        edges.append(path);
      }
      const headings = s('g', { class: 'columns', 'aria-hidden': 'true' },
        ['Goals', 'KPIs', 'Flows', 'Events'].map((text, i) => s('text', { x: i * COLUMN + 8, y: -18, class: 'column-title' }, text)));
      const nodes = s('g', { class: 'nodes' });
      this.elements = new Map();
      for (const node of this.nodes.values()) {
        const at = position.get(node.key);
        if (!at || !this.visible(node)) continue;
        const element = this.nodeElement(node, at);
        this.elements.set(node.key, element);
        nodes.append(element);
      }
      this.viewport.replaceChildren(headings, edges, nodes);
      if (!this.focused || !this.elements.has(this.focused)) this.focused = this.roots.length ? this.roots[0].key : null;
      for (const [key, element] of this.elements) element.querySelector('.hit').setAttribute('tabindex', key === this.focused ? '0' : '-1');
      this.highlight();
      this.apply();
    }

    nodeElement(node, at) {
      const record = node.record;
      const folded = node.children.length > 0 && !this.expanded.has(node.key);
      const kindInfo = KINDS.get(node.kind);
      let sub = '';
      if (node.kind === 'group') sub = this.hiddenCounts(node);
      else if (folded) sub = `+ ${this.hiddenCounts(node)}`;
      else if (kindInfo && kindInfo.by_id) sub = record.id;
      else if (record && record.status) sub = record.status;
      const text = node.kind === 'group' ? node.text : label(record);
      const shownText = fit(text, node.children.length ? 21 : 26);
      const shownSub = sub ? fit(sub, node.children.length ? 26 : 30) : '';
      // The accessible name starts with what the node shows (so speech and sight agree), then says
      // what was cut short and what kind of node it is.
      const details = [
        node.kind === 'group' ? 'group' : noun(node.kind),
        shownText !== text ? text : null,
        record && record.status && shownSub !== record.status ? record.status : null,
        folded ? `folded, ${this.hiddenCounts(node)} inside` : null,
      ].filter(Boolean).join(', ');
      const name = `${shownText}${shownSub ? ` ${shownSub}` : ''}, ${details}`;
      const hit = s('g', { class: 'hit', role: 'button', 'aria-label': name },
        s('rect', { width: NODE_W, height: NODE_H, rx: 7, class: 'box' }),
        s('text', { x: 12, y: 17, class: 'label' }, shownText),
        // Not drawn; it keeps the two lines apart as words for assistive technology.
        ' ',
        shownSub ? s('text', { x: 12, y: 33, class: kindInfo && kindInfo.by_id && !folded ? 'sub id' : 'sub' }, shownSub) : null);
      const group = s('g', {
        class: `node kind-${node.kind}${record && record.status ? ` status-${record.status}` : ''}${folded ? ' folded' : ''}`,
        transform: `translate(${at.x},${at.y})`,
        'data-kind': node.kind,
        'data-key': node.key,
      }, s('title', null, `${text}${kindInfo && kindInfo.by_id ? ` (${record.id})` : ''}`), hit);
      if (record) group.setAttribute('data-id', record.id);
      if (node.children.length) {
        const action = folded ? 'Unfold' : 'Fold';
        group.append(s('g', { class: 'toggle', role: 'button', tabindex: '-1', 'aria-label': `${action} ${text}`, transform: `translate(${NODE_W - 16},${NODE_H / 2})` },
          s('circle', { r: 9 }),
          s('text', { y: 4, 'text-anchor': 'middle' }, folded ? '+' : '−'),
          s('title', null, `${action} ${text}`)));
      }
      return group;
    }

    listen() {
      this.svg.addEventListener('click', (event) => {
        const toggle = event.target.closest('.toggle');
        const element = event.target.closest('.node');
        if (!element) return;
        const node = this.nodes.get(element.dataset.key);
        if (toggle) this.toggle(node);
        else this.open(node);
      });
      this.svg.addEventListener('keydown', (event) => this.key(event));
      this.svg.addEventListener('wheel', (event) => {
        event.preventDefault();
        const box = this.svg.getBoundingClientRect();
        this.zoom(Math.exp(-event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top);
      }, { passive: false });
      let drag = null;
      this.svg.addEventListener('pointerdown', (event) => {
        if (event.target.closest('.node') || event.button !== 0) return;
        drag = { x: event.clientX, y: event.clientY, vx: this.view.x, vy: this.view.y };
        this.svg.setPointerCapture(event.pointerId);
        this.svg.classList.add('panning');
      });
      this.svg.addEventListener('pointermove', (event) => {
        if (!drag) return;
        this.view.x = drag.vx + event.clientX - drag.x;
        this.view.y = drag.vy + event.clientY - drag.y;
        this.apply();
      });
      const stop = () => {
        drag = null;
        this.svg.classList.remove('panning');
      };
      this.svg.addEventListener('pointerup', stop);
      this.svg.addEventListener('pointercancel', stop);
    }

    key(event) {
      const node = this.focused && this.nodes.get(this.focused);
      const keys = { '+': () => this.zoom(1.25), '=': () => this.zoom(1.25), '-': () => this.zoom(0.8), '0': () => this.fit() };
      if (keys[event.key]) {
        keys[event.key]();
        event.preventDefault();
        return;
      }
      if (!node) return;
      let next = null;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') next = this.neighbour(node, event.key === 'ArrowDown' ? 1 : -1);
      else if (event.key === 'ArrowLeft') next = node.parent && this.elements.has(node.parent.key) ? node.parent : null;
      else if (event.key === 'ArrowRight') {
        if (node.children.length && !this.expanded.has(node.key)) {
          this.toggle(node);
          event.preventDefault();
          return;
        }
        next = node.children[0] || null;
      } else if (event.key === 'Enter') {
        this.open(node);
        event.preventDefault();
        return;
      } else if (event.key === ' ') {
        if (node.children.length) this.toggle(node);
        event.preventDefault();
        return;
      } else return;
      event.preventDefault();
      if (next) this.focusNode(next);
    }

    neighbour(node, direction) {
      const column = COLUMN_OF[node.kind];
      const here = this.position.get(node.key);
      let best = null;
      for (const key of this.elements.keys()) {
        const other = this.nodes.get(key);
        if (COLUMN_OF[other.kind] !== column || other === node) continue;
        const y = this.position.get(key).y;
        const d = (y - here.y) * direction;
        if (d > 0 && (!best || d < best.d)) best = { d, node: other };
      }
      return best && best.node;
    }

    focusNode(node) {
      const previous = this.focused && this.elements.get(this.focused);
      if (previous) previous.querySelector('.hit').setAttribute('tabindex', '-1');
      this.focused = node.key;
      const element = this.elements.get(node.key);
      if (!element) return;
      const hit = element.querySelector('.hit');
      hit.setAttribute('tabindex', '0');
      this.reveal(node);
      hit.focus({ preventScroll: true });
    }

    toggle(node) {
      if (this.expanded.has(node.key)) this.expanded.delete(node.key);
      else this.expanded.add(node.key);
      this.focused = node.key;
      const before = this.position.get(node.key);
      this.draw();
      // Keep the node where it was on the screen.
      const after = this.position.get(node.key);
      if (before && after) {
        this.view.y += (before.y - after.y) * this.view.k;
        this.apply();
      }
      const element = this.elements.get(node.key);
      if (element) element.querySelector('.hit').focus({ preventScroll: true });
      announce(`${this.expanded.has(node.key) ? 'Unfolded' : 'Folded'} ${node.record ? label(node.record) : node.text}`);
    }

    unfoldAll(unfold) {
      for (const node of this.nodes.values()) {
        if (!node.children.length) continue;
        if (unfold) this.expanded.add(node.key);
        else if (node.kind !== 'goal' && node.kind !== 'group') this.expanded.delete(node.key);
      }
      this.draw();
    }

    open(node) {
      if (!node.record) {
        this.toggle(node);
        return;
      }
      this.focused = node.key;
      keepFocus = true;
      location.hash = `#map/${node.kind}/${encodeURIComponent(node.record.id)}`;
    }

    /** Shows an entity selected by the URL: unfolds its way, lights its path, opens it beside. */
    select(kind, id) {
      const node = kind ? this.nodes.get(nodeKey(kind, id)) : null;
      this.selected = node ? node.key : null;
      if (node) {
        let changed = false;
        for (let p = node.parent; p; p = p.parent) {
          if (!this.expanded.has(p.key)) {
            this.expanded.add(p.key);
            changed = true;
          }
        }
        if (changed) this.draw();
        else this.highlight();
        this.focused = node.key;
        for (const [key, element] of this.elements) element.querySelector('.hit').setAttribute('tabindex', key === this.focused ? '0' : '-1');
        this.reveal(node);
        this.panel.replaceChildren(entityPage(kind, id, 2));
      } else {
        this.highlight();
        if (kind) this.panel.replaceChildren(entityPage(kind, id, 2));
        else this.hint();
      }
    }

    /** The keys lit for a selection: its path up to the goal, and what hangs below it. */
    lit(node) {
      const keys = new Set([node.key]);
      const add = (kind, id) => {
        if (get(kind, id)) keys.add(nodeKey(kind, id));
      };
      const upFromKpi = (id) => {
        add('kpi', id);
        const kpi = get('kpi', id);
        if (kpi && kpi.goal) add('goal', kpi.goal);
      };
      const record = node.record;
      if (node.kind === 'event') {
        for (const { flow } of record.$.flows) {
          add('flow', flow.id);
          for (const id of flow.kpis || []) upFromKpi(id);
        }
        for (const id of record.kpis || []) upFromKpi(id);
      } else if (node.kind === 'flow') {
        for (const id of record.kpis || []) upFromKpi(id);
        for (const event of record.$.events) add('event', event.id);
      } else if (node.kind === 'kpi') {
        upFromKpi(record.id);
        for (const flow of record.$.flows) add('flow', flow.id);
        for (const { event } of kpiEvents(record)) add('event', event.id);
      } else if (node.kind === 'goal') {
        for (const kpi of record.$.kpis) add('kpi', kpi.id);
        for (const flow of goalFlows(record)) add('flow', flow.id);
        for (const event of goalEvents(record)) add('event', event.id);
      }
      return keys;
    }

    highlight() {
      const node = this.selected && this.nodes.get(this.selected);
      const keys = node ? this.lit(node) : null;
      // A folded node stands for what it hides.
      const shownKeys = keys ? new Set([...keys].map((k) => this.shown(this.nodes.get(k)).key)) : null;
      this.svg.classList.toggle('has-selection', Boolean(keys));
      for (const [key, element] of this.elements) {
        element.classList.toggle('lit', Boolean(shownKeys && shownKeys.has(key)));
        element.classList.toggle('selected', key === this.selected);
        if (key === this.selected) element.querySelector('.hit').setAttribute('aria-pressed', 'true');
        else element.querySelector('.hit').removeAttribute('aria-pressed');
      }
      for (const path of this.viewport.querySelectorAll('.edge')) {
        path.classList.toggle('lit', Boolean(shownKeys && shownKeys.has(path.dataset.from) && shownKeys.has(path.dataset.to)));
      }
    }

    apply() {
      this.viewport.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
    }

    zoom(factor, cx, cy) {
      const box = this.svg.getBoundingClientRect();
      const x = cx === undefined ? box.width / 2 : cx;
      const y = cy === undefined ? box.height / 2 : cy;
      const k = Math.min(3, Math.max(0.05, this.view.k * factor));
      const f = k / this.view.k;
      this.view.x = x - (x - this.view.x) * f;
      this.view.y = y - (y - this.view.y) * f;
      this.view.k = k;
      this.apply();
    }

    /** The first view: every column on the screen, unless that would make the text too small. */
    fitWidth() {
      const box = this.svg.getBoundingClientRect();
      const width = 3 * COLUMN + NODE_W + 48;
      const k = Math.min(1, Math.max(0.6, box.width / width));
      this.view = { x: 24 * k, y: 48, k };
      this.apply();
    }

    fit() {
      const box = this.svg.getBoundingClientRect();
      const width = 3 * COLUMN + NODE_W + 48;
      const height = this.height + 60;
      const k = Math.min(1.2, Math.max(0.05, Math.min(box.width / width, box.height / height)));
      this.view = { x: 24 * k, y: 40 * k, k };
      this.apply();
    }

    /** Pans so that a node is on the screen. */
    reveal(node) {
      const at = this.position.get(this.shown(node).key);
      const box = this.svg.getBoundingClientRect();
      if (!at || box.width === 0) return;
      const x = at.x * this.view.k + this.view.x;
      const y = at.y * this.view.k + this.view.y;
      const inside = x >= 0 && y >= 0 && x + NODE_W * this.view.k <= box.width && y + NODE_H * this.view.k <= box.height;
      if (inside) return;
      this.view.x = box.width / 2 - (at.x + NODE_W / 2) * this.view.k;
      this.view.y = box.height / 2 - (at.y + NODE_H / 2) * this.view.k;
      this.apply();
    }
  }

  let planMap = null;

  function mapView(route) {
    if (!planMap) planMap = new PlanMap();
    if (planMap.element.parentNode !== MAIN) {
      MAIN.replaceChildren(planMap.element);
      if (!planMap.placed) {
        planMap.placed = true;
        planMap.fitWidth();
      }
    }
    planMap.select(route.kind || null, route.id || null);
    if (!route.kind) return planMap.element.querySelector('h1');
    return null;
  }

  // ----- overview ----------------------------------------------------------------------------------

  function overview() {
    const plan = DATA.plan;
    const counts = ORDER.map((kind) => [kind, all(kind).length]);
    const errors = DATA.problems.filter((p) => p.severity === 'error').length;
    const warnings = DATA.problems.filter((p) => p.severity === 'warning').length;
    const focus = all('kpi').filter((k) => k.priority === 1);
    const identity = plan.identity;
    const recent = DATA.history ? DATA.history.entries.slice(0, 5) : [];
    return h('article', { class: 'overview' },
      h('h1', { tabindex: '-1' }, plan.name || 'Tracking plan'),
      prose(plan.description, 'lead'),
      h('p', { class: 'note' }, 'The plan in ', h('code', null, plan.dir || '.'), ` · ${count(DATA.files.length, 'file')} · made by ${DATA.generator}`),
      h('ul', { class: 'stats' }, counts.map(([kind, n]) => h('li', null, h('a', { href: searchHref('', { kind }) }, h('strong', null, number(n)), ' ', n === 1 ? noun(kind) : nouns(kind))))),
      DATA.problems.length ? section('Problems', 2, h('p', null, h('a', { href: '#problems' }, `${count(errors, 'error')}, ${count(warnings, 'warning')} and ${count(DATA.problems.length - errors - warnings, 'note')}`), ' found by ', h('code', null, 'trackplan check'), '.')) : null,
      focus.length ? section('Start here: the onboarding focus', 2, h('p', { class: 'note' }, 'The priority 1 KPIs: what the plan is built to answer first.'), h('ul', { class: 'list' }, focus.map((kpi) => h('li', null, entityLink('kpi', kpi.id), kpi.goal ? h('span', { class: 'note' }, [' · goal ', entityLink('goal', kpi.goal)]) : null, kpi.definition ? h('div', { class: 'note' }, kpi.definition) : null)))) : null,
      section('Goals and their KPIs', 2, all('goal').length ? h('ul', { class: 'list goals' }, all('goal').map((goal) => h('li', null,
        entityLink('goal', goal.id), goal.description ? h('div', { class: 'note' }, goal.description) : null,
        goal.$.kpis.length ? h('ul', { class: 'list' }, goal.$.kpis.map((kpi) => h('li', null, entityLink('kpi', kpi.id), h('span', { class: 'note' }, ` · ${count(kpi.$.flows.length, 'flow')}${kpi.priority !== undefined ? ` · priority ${kpi.priority}` : ''}`)))) : null))) : h('p', { class: 'note' }, 'The plan has no goals yet.'), h('p', null, h('a', { href: '#map' }, 'See them drawn on the map'))),
      identity ? section('Identity', 2, facts([
        ['ID merge', identity.id_merge || null],
        ['identify() after', identity.identify.length ? joined(identity.identify.map((n) => entityLink('event', n, n))) : null],
        ['reset() after', identity.reset.length ? joined(identity.reset.map((n) => entityLink('event', n, n))) : null],
        ['Notes', identity.notes || null],
        ['Defined in', sourceLink(identity.at)],
      ])) : null,
      plan.event_case || plan.property_case ? section('Naming conventions', 2, facts([
        ['Event names', plan.event_case ? h('code', null, plan.event_case) : null],
        ['Property names', plan.property_case ? h('code', null, plan.property_case) : null],
      ])) : null,
      (plan.super_properties || []).length ? section('Super properties', 2, h('p', null, 'Registered once and sent with every event: ', joined(plan.super_properties.map((n) => entityLink('property', n, n))), '.')) : null,
      recent.length ? section('Recent changes', 2, h('ol', { class: 'commits' }, recent.map((entry) => h('li', { class: 'commit' }, h('p', { class: 'subject' }, h('time', { datetime: entry.date }, entry.date), ' · ', entry.subject), entryMeta(entry), levelCounts(entry.changes)))), h('p', null, h('a', { href: '#changelog' }, 'The whole changelog'))) : null,
      plan.history && plan.history.length ? historyBlock(plan.history, 2) : null,
      section('Files', 2, h('ul', { class: 'list files' }, DATA.files.map((file, i) => h('li', null, sourceLink([i, 1]))))));
  }

  function problemsView() {
    const order = ['error', 'warning', 'info'];
    const sorted = DATA.problems.slice().sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
    return h('article', null,
      h('h1', { tabindex: '-1' }, 'Problems'),
      h('p', null, sorted.length ? `${count(sorted.length, 'finding')} of `: 'No finding of ', h('code', null, 'trackplan check'), sorted.length ? ', errors first.' : ': the plan checks clean.'),
      sorted.length ? limited(sorted, (p) => problemItem(p, true), 300) : null);
  }

  // ----- changelog ---------------------------------------------------------------------------------

  function changelogView() {
    const history = DATA.history;
    if (!history) {
      return h('article', null, h('h1', { tabindex: '-1' }, 'Changelog'),
        h('p', null, 'No history: the plan is not in a git repository, or the page was written without it (', h('code', null, '--no-history'), ').'));
    }
    const entries = history.entries;
    const render = (entry) => h('li', { class: 'commit' },
      h('h2', null, h('time', { datetime: entry.date }, entry.date), ' · ', entry.subject),
      entryMeta(entry),
      h('p', null, levelCounts(entry.changes), outcomeText(entry) ? [' ', outcomeText(entry)] : null),
      entry.changes.length ? changeList(entry.changes) : null);
    return h('article', { class: 'changelog' },
      h('h1', { tabindex: '-1' }, 'Changelog'),
      h('p', { class: 'lead' }, 'The plan in ', h('code', null, history.dir || '.'), `, newest first: each commit up to ${history.head} that changed what the plan says, and how, as `, h('code', null, 'trackplan changelog'), ' computes it.'),
      history.shallow ? h('p', { class: 'note' }, 'This is a shallow clone: history before its first commit is not here.') : null,
      entries.length ? limited(entries, render, 100, 'ol') : h('p', null, 'No commit changed the plan.'),
      history.unchanged ? h('p', { class: 'note' }, `${count(history.unchanged, 'more commit')} changed only comments, formatting or order in the plan files.`) : null);
  }

  // ----- search view -------------------------------------------------------------------------------

  function filterOptions() {
    const statuses = new Set();
    const owners = new Set();
    const platforms = new Set();
    const tags = new Set();
    for (const kind of ORDER) {
      for (const record of all(kind)) {
        if (record.status) statuses.add(record.status);
        for (const owner of record.owners || []) owners.add(owner);
        for (const p of record.platforms || []) platforms.add(p);
        for (const t of record.tags || []) tags.add(t);
      }
    }
    const sorted = (set) => [...set].sort();
    return { statuses: ['proposed', 'planned', 'implemented', 'deprecated'].filter((x) => statuses.has(x)).concat(sorted(statuses).filter((x) => !['proposed', 'planned', 'implemented', 'deprecated'].includes(x))), owners: sorted(owners), platforms: sorted(platforms), tags: sorted(tags) };
  }

  let options = null;
  /** The search view's state while it is shown: its filters and the element holding results. */
  let searchState = null;

  function searchView(route) {
    options = options || filterOptions();
    const params = route.params;
    const filters = {};
    for (const key of FILTERS) if (params.get(key)) filters[key] = params.get(key);
    const query = params.get('q') || '';
    if (document.activeElement !== SEARCH_INPUT) SEARCH_INPUT.value = query;
    const select = (key, title, values, text) => h('div', { class: 'filter' },
      h('label', { for: `filter-${key}` }, title),
      h('select', { id: `filter-${key}`, onchange: (event) => { filters[key] = event.target.value || undefined; refreshSearch(); } },
        h('option', { value: '' }, 'any'),
        values.map((value) => h('option', { value, selected: filters[key] === value }, text ? text(value) : value))));
    const results = h('div', { class: 'results' });
    const title = h('h1', { tabindex: '-1' }, 'Browse the plan');
    searchState = { filters, results, title };
    const form = h('form', { class: 'filters no-print', 'aria-label': 'Filters', onsubmit: (event) => event.preventDefault() },
      select('kind', 'Kind', ORDER, (k) => heading(k)),
      options.statuses.length ? select('status', 'Status', options.statuses) : null,
      options.owners.length ? select('owner', 'Owner', options.owners, (id) => (get('team', id) ? `${label(get('team', id))} (${id})` : id)) : null,
      options.platforms.length ? select('platform', 'Platform', options.platforms) : null,
      options.tags.length ? select('tag', 'Tag', options.tags) : null,
      h('div', { class: 'filter check' },
        h('input', { type: 'checkbox', id: 'filter-pii', checked: Boolean(filters.pii), onchange: (event) => { filters.pii = event.target.checked ? 'yes' : undefined; refreshSearch(); } }),
        h('label', { for: 'filter-pii' }, 'Personal data (PII) only')));
    fillResults(query);
    return h('div', { class: 'search-view' }, title, h('div', { class: 'search-body' }, form, results));
  }

  function refreshSearch() {
    const query = SEARCH_INPUT.value;
    history.replaceState(null, '', searchHref(query, searchState.filters));
    fillResults(query);
  }

  const PAGE = 50;

  function fillResults(query) {
    performance.mark('trackplan-search-start');
    const { filters, results, title } = searchState;
    const found = search(query, filters);
    title.textContent = query.trim() ? `Search: “${query.trim()}”` : 'Browse the plan';
    const list = h('ol', { class: 'results-list', 'aria-label': 'Results' });
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const add = (from, to) => {
      for (const record of found.slice(from, to)) list.append(resultItem(record, words));
    };
    add(0, PAGE);
    const summary = found.length === 0 ? 'Nothing matches.' : `${count(found.length, 'match')}${found.length > PAGE ? `, the first ${PAGE} shown` : ''}.`;
    const status = h('p', { class: 'count' }, summary);
    const more = found.length > PAGE ? h('button', { type: 'button', class: 'more', onclick: () => { add(PAGE, found.length); more.remove(); status.textContent = `${count(found.length, 'match')}.`; } }, `Show all ${number(found.length)}`) : null;
    results.replaceChildren(status, list, more);
    announce(summary);
    performance.measure('trackplan-search', 'trackplan-search-start');
  }

  function snippet(text, words) {
    if (!text) return null;
    const lower = text.toLowerCase();
    let at = -1;
    let word = '';
    for (const w of words) {
      const i = lower.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) { at = i; word = w; }
    }
    const start = at > 60 ? at - 50 : 0;
    const shown = text.slice(start, start + 180);
    const prefix = start > 0 ? '…' : '';
    const suffix = start + 180 < text.length ? '…' : '';
    if (at < 0) return h('span', { class: 'snippet' }, shown + suffix);
    const local = at - start;
    return h('span', { class: 'snippet' }, prefix, shown.slice(0, local), h('mark', null, shown.slice(local, local + word.length)), shown.slice(local + word.length), suffix);
  }

  function resultItem(record, words) {
    const info = KINDS.get(record.kind);
    const text = record.description || record.definition || (record.inline ? 'Defined inside events.' : '');
    return h('li', { class: 'result' },
      h('a', { href: hrefOf(record.kind, record.id), 'data-id': record.id, 'data-kind': record.kind },
        kindBadge(record.kind), ' ', h('span', { class: 'name' }, label(record)), info && info.by_id ? [' ', h('code', { class: 'id' }, record.id)] : null),
      ' ', statusBadge(record.status), isPii(record) ? [' ', badge('PII', 'pii')] : null,
      text ? h('div', { class: 'note' }, snippet(text, words)) : null);
  }

  // ----- views -------------------------------------------------------------------------------------

  /** Set when a navigation keeps the focus where it is (a click on the map, typing a search). */
  let keepFocus = false;

  function render() {
    const route = currentRoute();
    for (const link of document.querySelectorAll('.views a')) {
      if (link.dataset.view === (route.view === 'entity' ? '' : route.view)) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.body.dataset.view = route.view;
    let focusTarget = null;
    let title = '';
    if (route.view !== 'search') searchState = null;
    if (route.view === 'map') {
      focusTarget = mapView(route);
      title = route.kind && get(route.kind, route.id) ? `${label(get(route.kind, route.id))} on the map` : 'Map';
    } else {
      let view;
      if (route.view === 'overview') view = overview();
      else if (route.view === 'entity') {
        view = entityPage(route.kind, route.id, 1);
        const record = get(route.kind, route.id);
        title = record ? `${label(record)} (${noun(route.kind)})` : `No ${noun(route.kind)} ${route.id}`;
      } else if (route.view === 'search') {
        view = searchView(route);
        title = 'Browse';
      } else if (route.view === 'changelog') {
        view = changelogView();
        title = 'Changelog';
      } else if (route.view === 'problems') {
        view = problemsView();
        title = 'Problems';
      } else {
        view = h('article', null, h('h1', { tabindex: '-1' }, 'Nothing here'), h('p', null, 'This page has no view at this address. ', h('a', { href: '#' }, 'Back to the overview')));
      }
      MAIN.replaceChildren(view);
      focusTarget = MAIN.querySelector('h1');
      window.scrollTo(0, 0);
    }
    const plan = DATA.plan.name || 'Tracking plan';
    document.title = title ? `${title} · ${plan}` : `${plan} · tracking plan`;
    if (keepFocus) keepFocus = false;
    else if (focusTarget && document.activeElement !== SEARCH_INPUT && started) focusTarget.focus({ preventScroll: true });
  }

  // ----- keyboard and search box -------------------------------------------------------------------

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
  }

  function onSearchInput() {
    const query = SEARCH_INPUT.value;
    if (searchState) {
      refreshSearch();
      return;
    }
    keepFocus = true;
    location.hash = searchHref(query, {});
  }

  function resultLinks() {
    return [...MAIN.querySelectorAll('.results-list a')];
  }

  function listen() {
    SEARCH_INPUT.addEventListener('input', onSearchInput);
    document.getElementById('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const first = resultLinks()[0];
      if (first) location.hash = first.getAttribute('href');
      else onSearchInput();
    });
    SEARCH_INPUT.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        const first = resultLinks()[0];
        if (first) {
          first.focus();
          event.preventDefault();
        }
      } else if (event.key === 'Escape') {
        SEARCH_INPUT.value = '';
        if (searchState) refreshSearch();
        SEARCH_INPUT.blur();
      }
    });
    MAIN.addEventListener('keydown', (event) => {
      if (!event.target.closest || !event.target.closest('.results-list')) return;
      const links = resultLinks();
      const i = links.indexOf(event.target);
      if (event.key === 'ArrowDown' && i >= 0 && i + 1 < links.length) {
        links[i + 1].focus();
        event.preventDefault();
      } else if (event.key === 'ArrowUp' && i >= 0) {
        (i === 0 ? SEARCH_INPUT : links[i - 1]).focus();
        event.preventDefault();
      }
    });
    document.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (event.key === '/') {
        SEARCH_INPUT.focus();
        SEARCH_INPUT.select();
        event.preventDefault();
      } else if (event.key === '?') {
        showHelp();
        event.preventDefault();
      }
    });
    // Links within the page change the address themselves: an editor's web view (VS Code's) takes
    // over clicks on `#...` links to scroll to an element of that id, which would stop navigation.
    document.addEventListener('click', (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
      if (!link || link.classList.contains('skip')) return;
      event.preventDefault();
      const target = link.getAttribute('href');
      if (location.hash !== target) location.hash = target;
    });
    document.querySelector('.skip').addEventListener('click', (event) => {
      event.preventDefault();
      const target = MAIN.querySelector('h1') || MAIN;
      target.focus();
    });
    window.addEventListener('hashchange', render);
  }

  let help = null;
  function showHelp() {
    if (!help) {
      const row = (keys, what) => [h('dt', null, keys.map((k, i) => [i > 0 ? ' or ' : null, h('kbd', null, k)])), h('dd', null, what)];
      help = h('dialog', { class: 'help', 'aria-labelledby': 'help-title' },
        h('h2', { id: 'help-title' }, 'Keyboard'),
        h('dl', null,
          row(['/'], 'search the plan'),
          row(['↓', '↑'], 'move between search results'),
          row(['Enter'], 'open the first result, or the focused one'),
          row(['Esc'], 'clear the search'),
          row(['←', '→', '↑', '↓'], 'on the map: move between nodes'),
          row(['Space'], 'on the map: fold or unfold a node'),
          row(['+', '−', '0'], 'on the map: zoom in, out, fit'),
          row(['?'], 'this help')),
        h('form', { method: 'dialog' }, h('button', { type: 'submit' }, 'Close')));
      document.body.append(help);
    }
    if (typeof help.showModal === 'function') help.showModal();
  }

  // ----- start -------------------------------------------------------------------------------------

  let started = false;

  function start() {
    if (DATA.format !== 1) {
      MAIN.replaceChildren(h('p', null, 'This page was written by another version of trackplan and cannot be shown.'));
      return;
    }
    performance.mark('trackplan-parsed');
    buildLinks();
    everything = ORDER.flatMap((kind) => all(kind));
    performance.mark('trackplan-linked');
    document.getElementById('brand').textContent = DATA.plan.name || 'Tracking plan';
    listen();
    restoreEditorView();
    render();
    started = true;
    document.documentElement.dataset.ready = 'true';
    performance.mark('trackplan-ready');
    prepareSearchWhenIdle();
    live();
  }

  /** In VS Code's web view the page is replaced when the plan is saved: keep the view across. */
  function restoreEditorView() {
    if (typeof acquireVsCodeApi !== 'function') return;
    const vscode = acquireVsCodeApi();
    const state = vscode.getState();
    if (state && state.hash && !location.hash) history.replaceState(null, '', state.hash);
    window.addEventListener('hashchange', () => vscode.setState({ hash: location.hash }));
  }

  /** Served by `trackplan doc --serve`: reload when the server has a newer version of the plan. */
  function live() {
    if (!DATA.live || typeof EventSource !== 'function') return;
    const source = new EventSource(DATA.live.events);
    source.onmessage = (event) => {
      if (Number(event.data) !== DATA.live.version) {
        source.close();
        location.reload();
      }
    };
  }

  start();
})();

// lib/api.mjs: a small client of the server's JSON API for seeding test
// data (cookie session + CSRF token, like the browser).
export class Client {
  constructor(base) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
  }

  async req(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    const res = await fetch(this.base + '/api/v1' + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const e = new Error(`${method} ${path}: ${res.status} ${text}`);
      e.status = res.status;
      e.data = data;
      throw e;
    }
    return data;
  }

  async login(email, password) {
    const r = await this.req('POST', '/login', { email, password });
    this.csrf = r.csrf_token;
    return r.user;
  }
}

// The world of the tests: two centres with screens, an association with a
// volunteer, a parish, two contact persons. Returns ids and passwords.
export async function seed(base, coordEmail, coordPassword) {
  const c = new Client(base);
  await c.login(coordEmail, coordPassword);
  const tuira = (await c.req('POST', '/centres', {
    name: 'Tuiran hyvinvointikeskus', municipality: '564', languages: ['fi', 'sv'],
    address: 'Kastellintie 1',
  })).id;
  const kaakkuri = (await c.req('POST', '/centres', {
    name: 'Kaakkurin sote-keskus', municipality: '564', languages: ['fi'],
  })).id;
  const muisti = (await c.req('POST', '/organisations', { name: 'Oulun Muistiyhdistys', kind: 'ngo' })).id;
  const parish = (await c.req('POST', '/organisations', { name: 'Oulun seurakunnat', kind: 'parish' })).id;
  const pw = 'salasana-testi-2026';
  const aino = (await c.req('POST', '/users', {
    email: 'aino@muisti.fi', name: 'Aino Vapaaehtoinen', password: pw,
    contact_centres: [], organisations: [muisti], coordinator: false,
  })).id;
  const tuula = (await c.req('POST', '/users', {
    email: 'tuula@pohde.fi', name: 'Tuula Yhdyshenkilö', password: pw,
    contact_centres: [tuira], organisations: [], coordinator: false,
  })).id;
  const kalle = (await c.req('POST', '/users', {
    email: 'kalle@pohde.fi', name: 'Kalle Yhdyshenkilö', password: pw,
    contact_centres: [kaakkuri], organisations: [], coordinator: false,
  })).id;
  const screens = [];
  for (const [centre, name] of [[tuira, 'Aula 1'], [tuira, 'Aula 2'], [kaakkuri, 'Odotustila']]) {
    const s = await c.req('POST', '/screens', {
      centre_id: centre, name, orientation: 'landscape', width_px: 1920, height_px: 1080,
      diagonal_in: 55, viewing_distance_m: 3,
    });
    screens.push({ id: s.id, centre, name, token: s.token, config: s.player_config || null, screen_id: s.screen_id || null });
  }
  return { tuira, kaakkuri, muisti, parish, aino, tuula, kalle, password: pw, screens };
}

// Throws away every draft of a user (POST /drafts keeps what a form had
// when a test left it): a test that opens a new form starts from an
// empty one, whatever the tests before it typed.
export async function dropDrafts(base, email, password) {
  const c = new Client(base);
  await c.login(email, password);
  let list;
  try {
    list = await c.req('GET', '/drafts');
  } catch (e) {
    if (e.status === 404) return; // a server without drafts
    throw e;
  }
  for (const d of list.drafts || []) await c.req('DELETE', `/drafts/${d.id}`);
}

'use strict';
// @larksuiteoapi/node-sdk 1.74.0 against Roster with demo.json: every ACS user call the SDK offers.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const lark = require('@larksuiteoapi/node-sdk');
const { baseUrl, apps, storedUser, readAll, png, jpg } = require('./roster');

/** The SDK logs failures instead of printing them here; a test can read what it logged. */
function quietLogger() {
  const errors = [];
  const logger = { errors, error: (...m) => errors.push(m), warn() {}, info() {}, debug() {}, trace() {} };
  return logger;
}

function client(app, options = {}) {
  return new lark.Client({ appId: app.id, appSecret: app.secret, domain: baseUrl, logger: quietLogger(), ...options });
}

/** A token cache of one client's own: the SDK's default cache is one per process, keyed by app id alone. */
function ownCache() {
  const values = new Map();
  const key = (k, options) => `${options && options.namespace}/${String(k)}`;
  return {
    get: async (k, options) => values.get(key(k, options)),
    set: async (k, value, expiredTime, options) => values.set(key(k, options), value) && true,
  };
}

/** The Feishu envelope of a call the SDK rejected (it throws axios' error on every non-2xx answer). */
async function refusal(call) {
  try {
    await call();
  } catch (e) {
    assert.ok(e.response, `expected an HTTP refusal, got ${e}`);
    const data = e.response.data;
    const body = data && typeof data.pipe === 'function' ? JSON.parse((await readAll(data)).toString('utf8')) : data;
    return { status: e.response.status, body };
  }
  assert.fail('the call should have been refused');
}

const demo = client(apps.feishu);
const narrow = client(apps.feishuNarrow);

test('list: the active users in an access group, by each id type, last page without page_token', async () => {
  const byUserId = await demo.acs.user.list({ params: { page_size: 50, user_id_type: 'user_id' } });
  assert.equal(byUserId.code, 0);
  assert.deepEqual(byUserId.data.items, [
    { feature: { card: 123456, face_uploaded: true }, user_id: 'u1001' },
    { feature: { face_uploaded: false }, user_id: 'u1002' },
    { feature: { card: 2147483647, face_uploaded: false }, user_id: 'u1005' },
  ]);
  assert.equal(byUserId.data.has_more, false);
  assert.equal('page_token' in byUserId.data, false);

  const byOpenId = await demo.acs.user.list(); // the defaults: open_id, 20 a page
  assert.equal(byOpenId.code, 0);
  assert.equal(byOpenId.data.items.length, 3);
  for (const u of byOpenId.data.items) assert.match(u.user_id, /^ou_[0-9a-f]{32}$/);
  const byUnionId = await demo.acs.user.list({ params: { user_id_type: 'union_id' } });
  for (const u of byUnionId.data.items) assert.match(u.user_id, /^on_[0-9a-f]{32}$/);
  assert.deepEqual(byUnionId.data.items.map((u) => u.feature), byUserId.data.items.map((u) => u.feature));
});

test('list: pages by hand with page_token, one order; a forged page token is 1490018', async () => {
  const seen = [];
  let pageToken;
  for (;;) {
    const page = await demo.acs.user.list({ params: { page_size: 1, user_id_type: 'user_id', page_token: pageToken } });
    assert.equal(page.code, 0);
    seen.push(...page.data.items.map((u) => u.user_id));
    if (!page.data.has_more) break;
    pageToken = page.data.page_token;
    assert.ok(pageToken);
  }
  assert.deepEqual(seen, ['u1001', 'u1002', 'u1005']);

  const forged = await refusal(() => demo.acs.user.list({ params: { page_token: `${pageToken}x` } }));
  assert.equal(forged.status, 400);
  assert.equal(forged.body.code, 1490018);
  const tooBig = await refusal(() => demo.acs.user.list({ params: { page_size: 51 } }));
  assert.equal(tooBig.body.code, 99992402);
  assert.equal(tooBig.body.error.field_violations[0].field, 'page_size');
});

test('listWithIterator: every page in order, each as {items}', async () => {
  const pages = [];
  for await (const page of await demo.acs.user.listWithIterator({ params: { page_size: 2, user_id_type: 'user_id' } })) {
    pages.push(page);
  }
  assert.deepEqual(pages.map((p) => p.items.map((u) => u.user_id)), [['u1001', 'u1002'], ['u1005']]);
  assert.deepEqual(Object.keys(pages[0]), ['items']); // has_more and page_token are taken out
});

test('listWithIterator swallows errors: one empty page, then the end, the refusal only logged', async () => {
  const logger = quietLogger();
  const narrowLogged = client(apps.feishuNarrow, { logger });
  const pages = [];
  for await (const page of await narrowLogged.acs.user.listWithIterator({ params: { user_id_type: 'user_id' } })) {
    pages.push(page);
  }
  assert.deepEqual(pages, [{}]); // no exception reaches the caller
  assert.match(util.inspect(logger.errors, { depth: 8 }), /99991672/);
});

test('the app of the engineering subtree sees its users under other open ids and the same union ids', async () => {
  const mine = await demo.acs.user.list({ params: { user_id_type: 'open_id' } });
  const theirs = await narrow.acs.user.list({ params: { user_id_type: 'open_id' } });
  assert.equal(theirs.code, 0);
  assert.equal(theirs.data.items.length, 3);
  assert.notDeepEqual(theirs.data.items.map((u) => u.user_id), mine.data.items.map((u) => u.user_id));
  const mineUnion = await demo.acs.user.list({ params: { user_id_type: 'union_id' } });
  const theirsUnion = await narrow.acs.user.list({ params: { user_id_type: 'union_id' } });
  assert.deepEqual(theirsUnion.data.items, mineUnion.data.items); // one vendor: one union id per user
});

test('get: one user by user_id, open_id and union_id; a user in no access group is 1490101', async () => {
  const byUserId = await demo.acs.user.get({ path: { user_id: 'u1001' }, params: { user_id_type: 'user_id' } });
  assert.deepEqual(byUserId, { code: 0, msg: 'success', data: { user: { feature: { card: 123456, face_uploaded: true }, user_id: 'u1001' } } });
  for (const type of ['open_id', 'union_id']) {
    const list = await demo.acs.user.list({ params: { user_id_type: type } });
    const id = list.data.items[0].user_id;
    const one = await demo.acs.user.get({ path: { user_id: id }, params: { user_id_type: type } });
    assert.deepEqual(one.data.user, { feature: { card: 123456, face_uploaded: true }, user_id: id }, type);
  }
  for (const id of ['u1004', 'u1006', 'nobody', 'a+b&c=d', '张三']) { // the SDK does not encode path segments
    const missing = await refusal(() => demo.acs.user.get({ path: { user_id: id }, params: { user_id_type: 'user_id' } }));
    assert.equal(missing.status, 400, id);
    assert.equal(missing.body.code, 1490101, id);
  }
});

test('user_id needs the employee-id scope: 99991672 with the permission violation', async () => {
  const denied = await refusal(() => narrow.acs.user.get({ path: { user_id: 'u1001' }, params: { user_id_type: 'user_id' } }));
  assert.equal(denied.status, 400);
  assert.equal(denied.body.code, 99991672);
  assert.equal(denied.body.error.permission_violations[0].subject, 'contact:user.employee_id:readonly');
});

test('patch: the card is stored on the canonical user, by user_id and by open_id', async () => {
  const patched = await demo.acs.user.patch({ path: { user_id: 'u1002' }, params: { user_id_type: 'user_id' }, data: { feature: { card: 7654321 } } });
  assert.deepEqual(patched, { code: 0, msg: 'success', data: {} });
  assert.equal((await storedUser('u1002')).acs.card, 7654321);
  const read = await demo.acs.user.get({ path: { user_id: 'u1002' }, params: { user_id_type: 'user_id' } });
  assert.equal(read.data.user.feature.card, 7654321);

  const openId = (await demo.acs.user.list()).data.items[1].user_id;
  await demo.acs.user.patch({ path: { user_id: openId }, data: { feature: { card: 2147483647 } } });
  assert.equal((await storedUser('u1002')).acs.card, 2147483647);
  await demo.acs.user.patch({ path: { user_id: openId }, data: { feature: { card: 0 } } });
  assert.equal((await storedUser('u1002')).acs.card, 0);

  for (const card of [-1, 2147483648, 1.5, 1e21, '12', null]) {
    const bad = await refusal(() => demo.acs.user.patch({ path: { user_id: 'u1002' }, params: { user_id_type: 'user_id' }, data: { feature: { card } } }));
    assert.equal(bad.body.code, 99992402, String(card));
  }
  assert.equal((await storedUser('u1002')).acs.card, 0); // nothing refused was written
});

test('face: upload a stream (a file), download the same bytes', async () => {
  const none = await refusal(() => demo.acs.userFace.get({ path: { user_id: 'u1002' }, params: { user_id_type: 'user_id' } }));
  assert.equal(none.status, 404); // every SDK takes a 2xx body for the image
  assert.equal(none.body.code, 1490101);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roster-face-')), 'local-name.bin');
  fs.writeFileSync(file, png);
  const up = await demo.acs.userFace.update({
    path: { user_id: 'u1002' }, params: { user_id_type: 'user_id' },
    data: { files: fs.createReadStream(file), file_type: 'png', file_name: 'me.png' },
  });
  assert.deepEqual(up, {}); // the SDK answers the envelope's data alone
  const stored = await storedUser('u1002');
  assert.deepEqual(stored.acs.face, { type: 'png', data: png.toString('base64') });

  const down = await demo.acs.userFace.get({ path: { user_id: 'u1002' }, params: { user_id_type: 'user_id', is_cropped: false } });
  assert.equal(down.headers['content-type'], 'image/png');
  assert.match(down.headers['content-disposition'], /filename="face\.png"/);
  assert.deepEqual(await readAll(down.getReadableStream()), png);
  const listed = await demo.acs.user.get({ path: { user_id: 'u1002' }, params: { user_id_type: 'user_id' } });
  assert.equal(listed.data.user.feature.face_uploaded, true);
});

test('face: upload a Buffer, as the SDK README shows (a part without filename), download with writeFile', async () => {
  const openId = (await demo.acs.user.list()).data.items[2].user_id; // u1005
  const up = await demo.acs.userFace.update({ path: { user_id: openId }, data: { files: jpg, file_type: 'jpg', file_name: '人脸 + & = ?.jpg' } });
  assert.deepEqual(up, {});
  assert.deepEqual((await storedUser('u1005')).acs.face, { type: 'jpg', data: jpg.toString('base64') });

  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roster-face-')), 'down.jpg');
  const down = await demo.acs.userFace.get({ path: { user_id: openId } });
  assert.equal(down.headers['content-type'], 'image/jpeg');
  await down.writeFile(target);
  assert.deepEqual(fs.readFileSync(target), jpg);

  // a large image goes through as well (Roster takes up to 5 MiB)
  const big = Buffer.concat([png, Buffer.alloc(4 * 1024 * 1024, 7)]);
  await demo.acs.userFace.update({ path: { user_id: 'u1005' }, params: { user_id_type: 'user_id' }, data: { files: big, file_type: 'png', file_name: 'big.png' } });
  const bigDown = await demo.acs.userFace.get({ path: { user_id: 'u1005' }, params: { user_id_type: 'user_id' } });
  assert.ok((await readAll(bigDown.getReadableStream())).equals(big));
});

test('face: refusals are 99992402 with the field, a missing face is a non-2xx answer, nothing changes', async () => {
  const before = (await storedUser('u1001')).acs.face;
  const cases = [
    [{ files: jpg, file_type: 'png', file_name: 'a.png' }, 'file_type'],
    [{ files: png, file_type: 'gif', file_name: 'a.gif' }, 'file_type'],
    [{ files: Buffer.from('GIF89a not a face'), file_type: 'png', file_name: 'a.png' }, 'files'],
    [{ files: png, file_type: 'png', file_name: '' }, 'file_name'],
    [{ files: Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]), file_type: 'png', file_name: 'huge.png' }, 'files'],
  ];
  for (const [data, field] of cases) {
    const bad = await refusal(() => demo.acs.userFace.update({ path: { user_id: 'u1001' }, params: { user_id_type: 'user_id' }, data }));
    assert.equal(bad.status, 400, field);
    assert.equal(bad.body.code, 99992402, field);
    assert.equal(bad.body.error.field_violations[0].field, field);
  }
  assert.deepEqual((await storedUser('u1001')).acs.face, before);

  const none = await refusal(() => demo.acs.userFace.get({ path: { user_id: 'u1004' }, params: { user_id_type: 'user_id' } }));
  assert.equal(none.status, 400);
  assert.equal(none.body.code, 1490101);
});

test('token: a wrong secret gets no token (10014), unless the process already caches one for that app id', async () => {
  const wrong = { id: apps.feishu.id, secret: 'not-the-secret-at-all' };
  await assert.rejects(() => client(wrong, { cache: ownCache() }).acs.user.list(), /code: 10014/);
  await assert.rejects(() => client({ id: 'cli_nobody', secret: 'whatever-secret-1' }).acs.user.list(), /code: 10014/);

  // the SDK's default cache is one per process, keyed by app id alone: the demo client's token serves this one
  await demo.acs.user.list();
  const shared = await client(wrong).acs.user.list();
  assert.equal(shared.code, 0);

  // disableTokenCache sends no token at all
  const tokenless = await refusal(() => client(apps.feishu, { disableTokenCache: true }).acs.user.list());
  assert.equal(tokenless.body.code, 99991661);
});

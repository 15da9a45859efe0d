'use strict';
// authing-node-sdk 4.0.1 against Roster with demo.json. The SDK holds no token: it signs every request with the
// access key (Authorization: authing <AK>:<signature>), so every call below is also a test of the signature,
// for every JSON value type the SDK can put in a query or a body.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { ManagementClient } = require('authing-node-sdk');
const { baseUrl, apps, admin, storedUser } = require('./roster');

const client = (app) => new ManagementClient({ accessKeyId: app.id, accessKeySecret: app.secret, host: baseUrl });
const sdk = client(apps.authing);
const DEMO = ['u1001', 'u1002', 'u1003', 'u1004', 'u1005', 'u1006'];

/** A success: HTTP 200 (always) and statusCode 200 in the body; the answer's data. */
function ok(answer) {
  assert.equal(answer.statusCode, 200, `${answer.statusCode} ${answer.message}`);
  assert.ok(answer.requestId);
  return answer.data;
}

/** Values a client may well send, each a trap for a signature rebuilt from the parsed body. */
const AWKWARD = {
  fraction: 0.1,
  sum: 0.1 + 0.2,
  big: 1e21,
  huge: 1.7976931348623157e308,
  tiny: 5e-324,
  small: 1e-7,
  beyondInt64: 12345678901234567890,
  maxSafe: Number.MAX_SAFE_INTEGER,
  negative: -1.5e-10,
  empty: '',
  nothing: null,
  yes: true,
  no: false,
  reserved: '+ & = ? # % /',
  unicode: '张三 ü 😀 \u2028',
  controls: '\u0001\t\n"\\',
  nested: { b: 1, 10: 'ten', 2: 'two', list: [1, 'two', null, { deep: [0.5, { deeper: true }] }, []], empty: {} },
};

test('listUsersLegacy: the whole pool by num, pages, filters and extras', async () => {
  const all = ok(await sdk.listUsersLegacy({}));
  assert.equal(all.totalCount, 6);
  assert.deepEqual(all.list.map((u) => u.userId), DEMO);
  const zhang = all.list[0];
  assert.equal(zhang.username, 'zhangsan');
  assert.equal(zhang.name, '张三');
  assert.equal(zhang.gender, 'M');
  assert.equal(zhang.status, 'Activated');
  assert.equal(zhang.customData, undefined); // only when asked

  const page = ok(await sdk.listUsersLegacy({ page: 2, limit: 4 }));
  assert.deepEqual(page.list.map((u) => u.userId), ['u1005', 'u1006']);
  assert.equal(page.totalCount, 6);

  const withAll = ok(await sdk.listUsersLegacy({ limit: 1, withCustomData: true, withIdentities: true, withDepartmentIds: true, withPost: true }));
  assert.deepEqual(withAll.list[0].customData, { school: '浙江大学', age: 36 });
  assert.deepEqual(withAll.list[0].departmentIds, ['eng-platform']);
  assert.equal(withAll.list[0].identities[0].userIdInIdp, 'oj7Nq05R-RRaqak0_YlMLnnIwsvg');

  assert.deepEqual(ok(await sdk.listUsersLegacy({ status: 'Suspended' })).list.map((u) => u.userId), ['u1003']);
  assert.equal(ok(await sdk.listUsersLegacy({ status: 'Activated' })).totalCount, 4);
  const now = Math.floor(Date.now() / 1000);
  assert.equal(ok(await sdk.listUsersLegacy({ updatedAtStart: now + 3600 })).totalCount, 0);
  assert.equal(ok(await sdk.listUsersLegacy({ updatedAtStart: now - 3600, updatedAtEnd: now + 3600 })).totalCount, 6);
});

test('listUsersLegacy: awkward query values are signed as sent; a bad one is a 400 for its field, never a 401', async () => {
  assert.equal(ok(await sdk.listUsersLegacy({ status: '' })).totalCount, 6); // "status=" is no filter
  for (const [params, field] of [[{ page: 1.5 }, 'page'], [{ limit: 1e21 }, 'limit'], [{ updatedAtStart: 0.1 }, 'updatedAtStart'],
    [{ status: '+ & = ?' }, 'status'], [{ page: 0 }, 'page'], [{ limit: 51 }, 'limit']]) {
    const answer = await sdk.listUsersLegacy(params);
    assert.equal(answer.statusCode, 400, `${JSON.stringify(params)}: ${answer.message}`);
    assert.match(answer.message, new RegExp(field));
  }
});

test('listUsers: pagination, keywords, advanced filters and sort in the body', async () => {
  const all = ok(await sdk.listUsers({ options: { pagination: { page: 1, limit: 50 }, withDepartmentIds: true } }));
  assert.deepEqual(all.list.map((u) => u.userId), DEMO);
  assert.deepEqual(all.list[1].departmentIds, ['eng']);

  const none = ok(await sdk.listUsers({})); // nothing to sign but the path
  assert.equal(none.totalCount, 6);
  assert.equal(none.list.length, 6);
  // parameters that are all undefined: the SDK signs "path?" while the body is {}
  assert.equal(ok(await sdk.listUsers({ keywords: undefined, options: undefined })).totalCount, 6);

  assert.equal(ok(await sdk.listUsers({ keywords: '' })).totalCount, 6);
  assert.equal(ok(await sdk.listUsers({ keywords: null, advancedFilter: null, options: null })).totalCount, 6);
  assert.deepEqual(ok(await sdk.listUsers({ keywords: 'ACME.example' })).list.map((u) => u.userId), ['u1001', 'u1002', 'u1005']);
  assert.deepEqual(ok(await sdk.listUsers({ keywords: '张三' })).list.map((u) => u.userId), ['u1001']);
  assert.equal(ok(await sdk.listUsers({ keywords: '+ & = ?' })).totalCount, 0);

  const filtered = ok(await sdk.listUsers({
    advancedFilter: [
      { field: 'status', operator: 'IN', value: ['Activated', 'Resigned'] },
      { field: 'email', operator: 'NOT_NULL' },
    ],
    options: { pagination: { page: 1, limit: 10 }, withCustomData: true },
  }));
  assert.deepEqual(filtered.list.map((u) => u.userId), ['u1001', 'u1002', 'u1005']);
  assert.deepEqual(filtered.list[2].customData, { level: 'P7' });

  const sorted = ok(await sdk.listUsers({ options: { sort: [{ field: 'createdAt', order: 'desc' }] } }));
  assert.equal(sorted.list.length, 6);
  assert.deepEqual(ok(await sdk.listUsers({ options: { sort: [{ field: 'createdAt', order: 'desc' }] } })).list, sorted.list);

  // an awkward body verifies; what Roster cannot use is refused as a bad argument
  const fraction = await sdk.listUsers({ keywords: '', options: { pagination: { page: 1, limit: 10.5 } } });
  assert.equal(fraction.statusCode, 400, fraction.message);
  assert.match(fraction.message, /limit/);
  assert.equal(ok(await sdk.listUsers({ keywords: null, searchQuery: AWKWARD })).totalCount, 6); // searchQuery is not used
});

test('getUser: by every id type, with awkward but valid values, and a miss is 404 with apiCode 2004', async () => {
  const ada = ok(await sdk.getUser({ userId: 'u1005', withCustomData: true, withIdentities: true, withDepartmentIds: true }));
  assert.equal(ada.nickname, 'Ada');
  assert.equal(ada.phoneCountryCode, '+1');
  assert.deepEqual(ada.customData, { level: 'P7' });
  assert.deepEqual(ada.departmentIds, ['eng']);
  for (const [userIdType, userId, expected] of [['user_id', 'u1005', 'u1005'], ['username', 'ada', 'u1005'],
    ['email', 'ada@acme.example', 'u1005'], ['phone', '2025550123', 'u1005'], ['external_id', 'HR-1001', 'u1001'],
    ['', 'u1002', 'u1002']]) {
    assert.equal(ok(await sdk.getUser({ userId, userIdType })).userId, expected, `${userIdType} ${userId}`);
  }
  for (const [userIdType, userId] of [['user_id', 'nobody'], ['username', '+ & = ?'], ['email', 'nobody+x@acme.example'],
    ['phone', '0000'], ['external_id', '张三 😀']]) {
    const missing = await sdk.getUser({ userId, userIdType });
    assert.equal(missing.statusCode, 404, `${userIdType} ${userId}: ${missing.message}`);
    assert.equal(missing.apiCode, 2004);
    assert.equal(missing.data, undefined);
  }
  const badType = await sdk.getUser({ userId: 'u1001', userIdType: 'identity' });
  assert.equal(badType.statusCode, 400);
});

test('createUser, updateUser, deleteUsersBatch: awkward values are stored as sent and read back the same', async () => {
  const username = 'grace + & = ? 格蕾丝 😀';
  const email = 'grace+roster@acme.example';
  const customData = AWKWARD;
  const created = ok(await sdk.createUser({
    username,
    email,
    name: 'Grace "Amazing" Hopper / 葛丽丝',
    nickname: '',
    phone: null,
    gender: 'F',
    status: 'Activated',
    emailVerified: true,
    phoneVerified: false,
    birthdate: '1906-12-09',
    externalId: 'HR-+&=?',
    departmentIds: ['eng'],
    customData,
    identities: [{ provider: 'wechat', type: 'openid', userIdInIdp: 'oj+/=?&', extIdpId: '' }],
    metadataSource: 1e21, // top-level values Roster does not keep, each signed as JavaScript writes it
    company: '',
    locale: null,
    options: { keepPassword: false, passwordEncryptType: 'none' },
    password: 'cobol forever 1959',
  }));
  const id = created.userId;
  assert.match(id, /^[0-9a-f]{24}$/);
  assert.equal(created.username, username);
  assert.equal(created.nickname, '');
  assert.equal(created.gender, 'W');
  assert.deepEqual(created.customData, customData);

  const stored = await storedUser(id);
  assert.equal(stored.username, username);
  assert.equal(stored.email, email);
  assert.equal(stored.name, 'Grace "Amazing" Hopper / 葛丽丝');
  assert.equal(stored.nickname, '');
  assert.equal(stored.gender, 'female');
  assert.equal(stored.external_id, 'HR-+&=?');
  assert.deepEqual(stored.departments, ['eng']);
  assert.deepEqual(stored.custom_data, customData);
  assert.equal(stored.identities[0].user_id_in_idp, 'oj+/=?&');
  assert.equal(stored.password, undefined);

  for (const [userIdType, userId] of [['username', username], ['email', email], ['external_id', 'HR-+&=?'], ['user_id', id]]) {
    const read = ok(await sdk.getUser({ userId, userIdType, withCustomData: true }));
    assert.equal(read.userId, id, userIdType);
    assert.deepEqual(read.customData, customData, userIdType);
  }
  const duplicate = await sdk.createUser({ username });
  assert.equal(duplicate.statusCode, 409, duplicate.message);

  // update: null clears, '' is a value, customData is merged into what is stored (a JSON merge patch)
  const newData = { list: [AWKWARD.nested, [], {}], fraction: -0.000001, emptyKey: { '': '' } };
  const merged = { ...customData, ...newData };
  const updated = ok(await sdk.updateUser({
    userId: username,
    options: { userIdType: 'username' },
    nickname: null,
    name: '',
    city: '+ & = ?',
    status: 'Suspended',
    customData: newData,
    metadata: [0.1, null, ''],
  }));
  assert.equal(updated.userId, id);
  assert.equal(updated.nickname, undefined);
  assert.equal(updated.name, '');
  assert.equal(updated.city, '+ & = ?');
  assert.equal(updated.status, 'Suspended');
  assert.deepEqual(updated.customData, merged);
  const afterUpdate = await storedUser(id);
  assert.equal(afterUpdate.nickname, undefined);
  assert.equal(afterUpdate.name, '');
  assert.equal(afterUpdate.status, 'suspended');
  assert.deepEqual(afterUpdate.custom_data, merged);
  assert.equal(afterUpdate.username, username); // left alone

  const second = ok(await sdk.createUser({ email: 'second+roster@acme.example', customData: { n: 0.5 } }));
  const deleted = ok(await sdk.deleteUsersBatch({ userIds: [username], options: { userIdType: 'username' } }));
  assert.deepEqual(deleted, { success: true });
  assert.equal((await admin('GET', `/users/${id}`)).status, 404);
  assert.equal(ok(await sdk.deleteUsersBatch({ userIds: [second.userId] })).success, true);
  assert.equal((await admin('GET', `/users/${second.userId}`)).status, 404);

  const again = await sdk.deleteUsersBatch({ userIds: [id], options: { userIdType: 'user_id' } });
  assert.equal(again.statusCode, 404);
  assert.equal(again.apiCode, 2004);
  assert.deepEqual(ok(await sdk.listUsersLegacy({})).list.map((u) => u.userId), DEMO);
});

test('refusals: wrong secret and unknown key 401, an app without authing:management 403', async () => {
  for (const app of [{ id: apps.authing.id, secret: 'not-the-secret-at-all' }, { id: 'ak_nobody', secret: apps.authing.secret }]) {
    for (const call of [(c) => c.listUsersLegacy({}), (c) => c.listUsers({ keywords: '' }), (c) => c.getUser({ userId: 'u1001' })]) {
      const answer = await call(client(app));
      assert.equal(answer.statusCode, 401, `${app.id}: ${answer.message}`);
      assert.equal(answer.data, undefined);
    }
  }
  const feishuApp = client(apps.feishu); // it exists, without the scope
  const forbidden = await feishuApp.listUsersLegacy({});
  assert.equal(forbidden.statusCode, 403);
  assert.match(forbidden.message, /authing:management/);
  const noWrite = await feishuApp.createUser({ username: 'never-created' });
  assert.equal(noWrite.statusCode, 403);
  assert.equal((await sdk.getUser({ userId: 'never-created', userIdType: 'username' })).statusCode, 404);
});

test('what the SDK does beside the wire: signed extra headers, lone surrogates, null GET parameters, the global axios', async () => {
  // tenantId and lang add x-authing-app-id and x-authing-lang, both signed
  const tenant = new ManagementClient({ accessKeyId: apps.authing.id, accessKeySecret: apps.authing.secret, host: baseUrl, tenantId: 'acme', lang: 'en-US' });
  assert.equal(ok(await tenant.listUsersLegacy({})).totalCount, 6);
  // a lone surrogate is not text: the body carries it as a \u escape, refused at the door (Node would sign it as U+FFFD)
  const surrogate = await sdk.listUsers({ keywords: 'x\ud800' });
  assert.equal(surrogate.statusCode, 400);
  assert.match(surrogate.message, /surrogate/);
  // a null query parameter is signed as "userIdType=null" but axios leaves it out of the URL: no server can verify it
  assert.equal((await sdk.getUser({ userId: 'u1001', userIdType: null })).statusCode, 401);
  // the SDK sets its host as the default baseURL of the process' axios
  assert.equal(require('axios').defaults.baseURL, baseUrl);
});

test('create and update refuse bad values with 400 and store nothing', async () => {
  const before = ok(await sdk.listUsersLegacy({})).totalCount;
  for (const body of [{}, { username: 'x', customData: [1, 2] }, { username: 'x', gender: 'X' }, { email: 'not an email' },
    { username: 'x', birthdate: '1906-13-40' }, { username: 'x', departmentIds: ['no-such-department'] }]) {
    const answer = await sdk.createUser(body);
    assert.equal(answer.statusCode, 400, `${JSON.stringify(body)}: ${answer.message}`);
  }
  assert.equal(ok(await sdk.listUsersLegacy({})).totalCount, before);
  const update = await sdk.updateUser({ userId: 'u1005', customData: 'not an object' });
  assert.equal(update.statusCode, 400);
  assert.deepEqual((await storedUser('u1005')).custom_data, { level: 'P7' });
});

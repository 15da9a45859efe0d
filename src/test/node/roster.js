'use strict';
// What every Node SDK test needs: the Roster under test (its URL, admin token and demo apps, from the environment
// that roster.dialect.NodeSdkTest sets) and the admin API, to read back what the SDKs stored.

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through NodeSdkTest, or set it by hand`);
  return value;
}

const baseUrl = env('ROSTER_BASE_URL');
const tenant = env('ROSTER_TENANT');
const adminToken = env('ROSTER_ADMIN_TOKEN');

const apps = {
  feishu: { id: env('ROSTER_FEISHU_APP_ID'), secret: env('ROSTER_FEISHU_APP_SECRET') },
  // sees the engineering subtree only and lacks contact:user.employee_id:readonly
  feishuNarrow: { id: env('ROSTER_FEISHU_NARROW_APP_ID'), secret: env('ROSTER_FEISHU_NARROW_APP_SECRET') },
  authing: { id: env('ROSTER_AUTHING_KEY_ID'), secret: env('ROSTER_AUTHING_KEY_SECRET') },
};

/** An admin API call on the tenant under test: {status, body}. */
async function admin(method, path, body) {
  const response = await fetch(`${baseUrl}/admin/v1/tenants/${tenant}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The canonical user as the admin API holds it; fails unless it exists. */
async function storedUser(id) {
  const { status, body } = await admin('GET', `/users/${encodeURIComponent(id)}`);
  if (status !== 200) throw new Error(`admin GET user ${id}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Reads a whole stream (a face download) into one Buffer. */
async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// a 1×1 PNG and the smallest JPEG Roster takes (it sniffs the magic bytes)
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
// a 1×1 JPEG that decodes (Roster decodes every face it is given)
const jpg = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');

module.exports = { baseUrl, tenant, apps, admin, storedUser, readAll, png, jpg };

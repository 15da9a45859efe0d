package roster.dialect.feishu;

import com.lark.oapi.Client;
import com.lark.oapi.core.cache.ICache;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import roster.TestServer;

/** What the feishu tests share: SDK clients pointed at a test server, and a bulk tenant with many pages. */
final class FeishuFixtures {

    static final String DEMO_APP = "cli_demo_feishu";
    static final String DEMO_SECRET = "feishu-demo-secret-0001";
    static final String ENG_APP = "cli_demo_feishu_eng";
    static final String ENG_SECRET = "feishu-demo-secret-0002";
    static final String BULK_APP = "cli_bulk";
    static final String BULK_SECRET = "bulk-app-secret-000001";
    static final String BULK_APP_NO_SCOPE = "cli_bulk_noscope";
    static final int BULK_USERS = 120;

    private FeishuFixtures() {}

    /**
     * An SDK client with its own token cache: the SDK's default cache is one static map per JVM keyed by app id,
     * which would hand a token of one test server to the next.
     */
    static Client client(TestServer server, String appId, String secret) {
        return Client.newBuilder(appId, secret).openBaseUrl(server.baseUrl).tokenCache(new MapCache()).build();
    }

    static final class MapCache implements ICache {
        private record Entry(String value, long expiresAt) {}

        private final Map<String, Entry> entries = new ConcurrentHashMap<>();

        @Override
        public String get(String key) {
            Entry e = entries.get(key);
            return e == null || e.expiresAt < System.currentTimeMillis() ? "" : e.value;
        }

        @Override
        public void set(String key, String value, int expire, TimeUnit unit) {
            entries.put(key, new Entry(value, System.currentTimeMillis() + unit.toMillis(expire)));
        }
    }

    /** Listed: active and in a group. User n has num 10000+n and card n, so a card names its user in any id type. */
    static boolean bulkListed(int n) {
        return n % 10 != 0 && n % 7 != 0;
    }

    /** Tenant "bulk": every 10th user suspended, every 7th in no access group; departments a and b (b under a). */
    static String bulkFixture() {
        StringBuilder users = new StringBuilder();
        for (int n = 1; n <= BULK_USERS; n++) {
            if (n > 1) users.append(',');
            users.append(String.format("{\"id\":\"b%d\",\"num\":%d,\"name\":\"User %d\",\"status\":\"%s\",\"departments\":[\"%s\"],"
                            + "\"acs\":{\"groups\":%s,\"card\":%d,\"face\":null}}",
                    n, 10000 + n, n, n % 10 == 0 ? "suspended" : "active", n % 2 == 0 ? "b" : "a",
                    n % 7 == 0 ? "[]" : "[\"door\"]", n));
        }
        return "{\"tenants\":[{\"id\":\"bulk\",\"name\":\"Bulk\","
                + "\"departments\":[{\"id\":\"a\",\"name\":\"A\",\"parent\":null},{\"id\":\"b\",\"name\":\"B\",\"parent\":\"a\"}],"
                + "\"access_groups\":[{\"id\":\"door\",\"name\":\"Door\"}],"
                + "\"users\":[" + users + "],"
                + "\"apps\":[{\"id\":\"" + BULK_APP + "\",\"secret\":\"" + BULK_SECRET + "\",\"scopes\":[\"acs:users\",\"contact:user.employee_id:readonly\"]},"
                + "{\"id\":\"" + BULK_APP_NO_SCOPE + "\",\"secret\":\"" + BULK_SECRET + "\",\"scopes\":[\"authing:management\"]}]}]}";
    }
}

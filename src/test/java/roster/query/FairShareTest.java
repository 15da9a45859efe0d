package roster.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import roster.DemoApps;
import roster.TestServer;

/**
 * One app saturating the readers with heavy lists (more at once than there are read connections) must not starve
 * another app: the light app's calls still find a reader at once. Before the per-app share, they queued behind
 * the heavy app's queries for a connection (an app of another tenant waited 30 s for a 503). Asserted by
 * comparison, not in milliseconds: the light app's slowest call stays well under the heavy app's slowest.
 */
class FairShareTest {

    @Test
    @Timeout(180)
    void aHeavyAppCannotStarveALightOne() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.loadDemo();
            server.load(HeavyFilters.users(3000));
            String authing = DemoApps.authingToken(server, DemoApps.AUTHING_APP, DemoApps.AUTHING_SECRET);
            String feishu = DemoApps.feishuToken(server, DemoApps.FEISHU_APP, DemoApps.FEISHU_SECRET);
            String heavyBody = HeavyFilters.notContains(150);

            List<Long> heavyMillis = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> heavy = new ArrayList<>();
            int parallel = 3 * server.services.database().readSlots(); // three times the readers there are
            for (int i = 0; i < parallel; i++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        long start = System.nanoTime();
                        HttpResponse<String> r = DemoApps.authingPost(server, authing, "/api/v3/list-users", heavyBody);
                        heavyMillis.add((System.nanoTime() - start) / 1_000_000);
                        assertThat(r.body()).contains("\"statusCode\":");
                    }
                });
                t.setDaemon(true);
                t.start();
                heavy.add(t);
            }
            Thread.sleep(1500); // the heavy app now holds every reader it may, and queues for more

            List<Long> lightMillis = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = DemoApps.feishuGet(server, feishu, "/open-apis/acs/v1/users?page_size=10");
                lightMillis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                Thread.sleep(100);
            }
            running.set(false);
            for (Thread t : heavy) t.join();

            long heavyMax = Collections.max(heavyMillis);
            long lightMax = Collections.max(lightMillis);
            System.out.println("FairShareTest: light " + lightMillis + " ms, heavy max " + heavyMax + " ms");
            assertThat(lightMax).as("light app %s ms against heavy app %s ms", lightMillis, heavyMillis).isLessThan(heavyMax / 2);
        }
    }
}

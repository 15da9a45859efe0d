import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Writes a fixture of one tenant with N users (default 1,000,000) to stdout, streamed:
 * java bench/GenerateFixture.java [N] [TENANT] > users.json
 * 100 departments in a two-level tree, two access groups, apps of every dialect; users with full profiles, all
 * in an access group and all but one in 2,000 active, so that the feishu list (active users in an access group)
 * reaches depth N - 1,000; no plaintext passwords but the administrator's (each costs a bcrypt hash on load).
 */
public class GenerateFixture {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String tenant = args.length > 1 ? args[1] : "bench";
        Random random = new Random(42);
        String[] inactive = {"suspended", "resigned", "archived", "deactivated"};
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
            out.write("{\"tenants\":[{\"id\":\"" + tenant + "\",\"name\":\"Bench\",\"departments\":[\n");
            out.write("{\"id\":\"root\",\"num\":1,\"name\":\"Root\",\"parent\":null}");
            for (int d = 1; d <= 10; d++) out.write(",\n{\"id\":\"d" + d + "\",\"num\":" + (1 + d) + ",\"name\":\"Division " + d + "\",\"parent\":\"root\"}");
            for (int d = 1; d <= 90; d++) out.write(",\n{\"id\":\"t" + d + "\",\"num\":" + (11 + d) + ",\"name\":\"Team " + d + "\",\"parent\":\"d" + (1 + d % 10) + "\"}");
            out.write("],\"access_groups\":[{\"id\":\"hq\",\"name\":\"HQ\"},{\"id\":\"lab\",\"name\":\"Lab\"}],\"users\":[\n");
            for (int i = 1; i <= n; i++) {
                if (i > 1) out.write(",\n");
                String groups = random.nextBoolean() ? "[\"hq\"]" : "[\"hq\",\"lab\"]";
                String status = random.nextInt(2000) == 0 ? inactive[random.nextInt(inactive.length)] : "active";
                out.write("{\"id\":\"u" + i + "\",\"num\":" + i + ",\"username\":\"user" + i + "\",\"name\":\"User " + i
                        + "\",\"nickname\":\"U" + i + "\",\"email\":\"user" + i + "@bench.example\",\"phone\":\"1" + (3000000000L + i)
                        + "\",\"phone_country_code\":\"+86\",\"gender\":\"" + (i % 3 == 0 ? "female" : i % 3 == 1 ? "male" : "unknown")
                        + "\",\"avatar\":\"https://img.bench.example/u" + i + ".png\",\"status\":\"" + status
                        + "\",\"city\":\"Hangzhou\",\"external_id\":\"HR-" + i + "\",\"email_verified\":true,\"departments\":[\"t"
                        + (1 + random.nextInt(90)) + "\"],\"custom_data\":{\"level\":" + random.nextInt(10)
                        + "},\"acs\":{\"groups\":" + groups + ",\"card\":" + (100000 + i) + ",\"face\":null}}");
            }
            // an administrator of the whole tenant, for the EnOS list (one bcrypt hash on load)
            out.write(",\n{\"id\":\"admin\",\"num\":" + (n + 1) + ",\"username\":\"admin\",\"name\":\"Bench Admin\",\"password\":\"bench-admin-password\",\"departments\":[\"root\"],\"admin_of\":[\"*\"]}");
            out.write("],\"apps\":[\n");
            out.write("{\"id\":\"bench_feishu\",\"secret\":\"bench-feishu-secret-01\",\"scopes\":[\"acs:users\",\"contact:user.employee_id:readonly\"]},\n");
            out.write("{\"id\":\"bench_authing\",\"secret\":\"bench-authing-secret-1\",\"scopes\":[\"authing:management\"]},\n");
            out.write("{\"id\":\"bench_enos\",\"secret\":\"bench-enos-secret-0001\",\"scopes\":[\"enos:app-portal\"]},\n");
            out.write("{\"id\":\"bench_bizapi\",\"secret\":\"bench-bizapi-secret-01\",\"scopes\":[\"bizapi:org-users\"]}]}]}\n");
        }
    }
}

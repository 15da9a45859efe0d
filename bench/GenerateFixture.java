import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;

/**
 * Writes a fixture of one tenant with N users (default 1,000,000) to stdout, streamed:
 * java bench/GenerateFixture.java [N] [TENANT] [--ldif] > users.json
 * 100 departments in a two-level tree, two access groups, apps of every dialect; users with full profiles, all
 * in an access group and all but one in 2,000 active, so that the feishu list (active users in an access group)
 * reaches depth N - 1,000; no plaintext passwords but the administrator's (each costs a bcrypt hash on load).
 *
 * <p>With --ldif it writes the same users (same seed, same draws) as LDIF for OpenLDAP's slapadd, in the naming
 * Roster's LDAP front end uses: uid=USERNAME,ou=people,o=TENANT (inetOrgPerson), plus the bench's bind entry
 * cn=bench_ldap,ou=apps,o=TENANT (password bench-ldap-secret-0001).
 */
public class GenerateFixture {
    static final String[] INACTIVE = {"suspended", "resigned", "archived", "deactivated"};
    static final String LDAP_APP = "bench_ldap", LDAP_SECRET = "bench-ldap-secret-0001";

    /** One generated user: what the random draws decided, in the order they are drawn. */
    record User(int i, boolean labToo, String status, int team, int level) {
        static User next(Random random, int i) {
            boolean labToo = !random.nextBoolean();
            String status = random.nextInt(2000) == 0 ? INACTIVE[random.nextInt(INACTIVE.length)] : "active";
            int team = 1 + random.nextInt(90);
            int level = random.nextInt(10);
            return new User(i, labToo, status, team, level);
        }
    }

    public static void main(String[] args) throws Exception {
        int n = 1_000_000;
        String tenant = "bench";
        boolean ldif = false;
        int positional = 0;
        for (String arg : args) {
            if (arg.equals("--ldif")) ldif = true;
            else if (positional++ == 0) n = Integer.parseInt(arg);
            else tenant = arg;
        }
        Random random = new Random(42);
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
            if (ldif) writeLdif(out, n, tenant, random);
            else writeFixture(out, n, tenant, random);
        }
    }

    static void writeFixture(BufferedWriter out, int n, String tenant, Random random) throws Exception {
        out.write("{\"tenants\":[{\"id\":\"" + tenant + "\",\"name\":\"Bench\",\"departments\":[\n");
        out.write("{\"id\":\"root\",\"num\":1,\"name\":\"Root\",\"parent\":null}");
        for (int d = 1; d <= 10; d++) out.write(",\n{\"id\":\"d" + d + "\",\"num\":" + (1 + d) + ",\"name\":\"Division " + d + "\",\"parent\":\"root\"}");
        for (int d = 1; d <= 90; d++) out.write(",\n{\"id\":\"t" + d + "\",\"num\":" + (11 + d) + ",\"name\":\"Team " + d + "\",\"parent\":\"d" + (1 + d % 10) + "\"}");
        out.write("],\"access_groups\":[{\"id\":\"hq\",\"name\":\"HQ\"},{\"id\":\"lab\",\"name\":\"Lab\"}],\"users\":[\n");
        for (int i = 1; i <= n; i++) {
            if (i > 1) out.write(",\n");
            User u = User.next(random, i);
            String groups = u.labToo() ? "[\"hq\",\"lab\"]" : "[\"hq\"]";
            out.write("{\"id\":\"u" + i + "\",\"num\":" + i + ",\"username\":\"user" + i + "\",\"name\":\"User " + i
                    + "\",\"nickname\":\"U" + i + "\",\"email\":\"user" + i + "@bench.example\",\"phone\":\"1" + (3000000000L + i)
                    + "\",\"phone_country_code\":\"+86\",\"gender\":\"" + (i % 3 == 0 ? "female" : i % 3 == 1 ? "male" : "unknown")
                    + "\",\"avatar\":\"https://img.bench.example/u" + i + ".png\",\"status\":\"" + u.status()
                    + "\",\"city\":\"Hangzhou\",\"external_id\":\"HR-" + i + "\",\"email_verified\":true,\"departments\":[\"t"
                    + u.team() + "\"],\"custom_data\":{\"level\":" + u.level()
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

    /**
     * The same tenant for slapadd: the suffix, ou=people with the N users and the administrator (N + 1 entries, as
     * bizapi's full sync lists them), ou=apps with the bench's bind entry. Attributes map the canonical user:
     * uid username, cn name, sn and givenName its last and first word, displayName nickname, mail email,
     * telephoneNumber country code and phone, employeeNumber num, departmentNumber the department id.
     */
    static void writeLdif(BufferedWriter out, int n, String tenant, Random random) throws Exception {
        String suffix = "o=" + tenant;
        out.write("dn: " + suffix + "\nobjectClass: organization\no: " + tenant + "\n\n");
        out.write("dn: ou=people," + suffix + "\nobjectClass: organizationalUnit\nou: people\n\n");
        out.write("dn: ou=apps," + suffix + "\nobjectClass: organizationalUnit\nou: apps\n\n");
        out.write("dn: cn=" + LDAP_APP + ",ou=apps," + suffix + "\nobjectClass: applicationProcess\nobjectClass: simpleSecurityObject\ncn: "
                + LDAP_APP + "\nuserPassword: " + ssha(LDAP_SECRET) + "\n\n");
        StringBuilder entry = new StringBuilder(512);
        for (int i = 1; i <= n; i++) {
            User u = User.next(random, i);
            entry.setLength(0);
            entry.append("dn: uid=user").append(i).append(",ou=people,").append(suffix)
                    .append("\nobjectClass: inetOrgPerson\nuid: user").append(i)
                    .append("\ncn: User ").append(i).append("\nsn: ").append(i).append("\ngivenName: User")
                    .append("\ndisplayName: U").append(i)
                    .append("\nmail: user").append(i).append("@bench.example")
                    .append("\ntelephoneNumber: +86 1").append(3000000000L + i)
                    .append("\nemployeeNumber: ").append(i)
                    .append("\ndepartmentNumber: t").append(u.team()).append("\n\n");
            out.append(entry);
        }
        out.write("dn: uid=admin,ou=people," + suffix + "\nobjectClass: inetOrgPerson\nuid: admin\ncn: Bench Admin\nsn: Admin\ngivenName: Bench"
                + "\nemployeeNumber: " + (n + 1) + "\ndepartmentNumber: root\n\n");
    }

    /** {SSHA} as slappasswd writes it, with a fixed salt so that the same N gives the same LDIF. */
    static String ssha(String password) throws Exception {
        byte[] salt = "roster-b".getBytes(StandardCharsets.US_ASCII);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(password.getBytes(StandardCharsets.UTF_8));
        sha1.update(salt);
        byte[] digest = sha1.digest();
        byte[] both = new byte[digest.length + salt.length];
        System.arraycopy(digest, 0, both, 0, digest.length);
        System.arraycopy(salt, 0, both, digest.length, salt.length);
        return "{SSHA}" + Base64.getEncoder().encodeToString(both);
    }
}

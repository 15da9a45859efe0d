package roster.store;

import java.util.OptionalLong;

/** What users and departments share about their nums: each is unique within its tenant and table. */
final class Nums {

    private Nums() {}

    /**
     * The largest num from ceiling down that no row of the tenant in the table holds; empty when there is none. Used
     * only once the tenant's counter has passed the bound (a num at the top was given explicitly): nums are then
     * handed out downwards from the top, where the counter never went, so a num seen before is not given again.
     */
    static OptionalLong freeBelow(Tx tx, String table, String tenantId, long ceiling) {
        return tx.h.createQuery("SELECT MAX(k.c) FROM (SELECT CAST(? AS BIGINT) AS c UNION ALL SELECT num - 1 FROM " + table
                        + " WHERE tenant_id = ? AND num <= ?) k WHERE k.c >= 1 AND k.c <= ? "
                        + "AND NOT EXISTS (SELECT 1 FROM " + table + " v WHERE v.tenant_id = ? AND v.num = k.c)")
                .bind(0, ceiling).bind(1, tenantId).bind(2, ceiling).bind(3, ceiling).bind(4, tenantId)
                .map((rs, ctx) -> { long v = rs.getLong(1); return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v); })
                .one();
    }
}

package roster.store;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;

/**
 * SQLite's prepared statements, kept per connection and used again by later transactions. SQLite compiles every
 * statement it is given (parse, plan, code: about 11 µs for a short SELECT here, half of what reading a page of
 * 50 users then costs), and a request asks the same few statements every time. The JDBC driver keeps none, and
 * HikariCP closes a connection's statements when the connection goes back to the pool, so they are prepared on
 * the driver's own connection underneath the pool's wrapper, and live as long as it does. (PostgreSQL's driver
 * keeps its own, server-side prepared after a few uses.)
 *
 * <p>A statement is taken out of the cache while it is open and put back when JDBI closes it, so the same text
 * opened twice at once (a query inside another's iteration) gets a statement of its own.
 */
final class StatementCache implements StatementBuilder {

    /** Per connection: enough for every statement of the request paths. */
    private static final int PER_CONNECTION = 64;
    /**
     * Longer texts are IN lists of a whole page (a thousand ids, one placeholder each): seldom asked again with the
     * same length, and each compiled program holds a hundred kilobytes. They are compiled and closed as before.
     */
    private static final int LONGEST = 2000;

    private final Map<SQLiteConnection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();

    @Override
    public PreparedStatement create(Connection pooled, String sql, StatementContext ctx) throws SQLException {
        SQLiteConnection connection = pooled.unwrap(SQLiteConnection.class);
        if (sql.length() > LONGEST) return pooled.prepareStatement(sql);
        PreparedStatement statement = statements(connection).remove(sql);
        return statement != null && !statement.isClosed() ? statement : connection.prepareStatement(sql);
    }

    @Override
    public void close(Connection pooled, String sql, Statement statement) throws SQLException {
        if (statement.isClosed()) return;
        SQLiteConnection connection = pooled.unwrap(SQLiteConnection.class);
        if (!(statement instanceof PreparedStatement prepared) || statement instanceof CallableStatement || prepared.getConnection() != connection) {
            statement.close(); // not one of ours
            return;
        }
        prepared.clearParameters();
        PreparedStatement other = statements(connection).put(sql, prepared);
        if (other != null && other != prepared) other.close();
    }

    @Override
    public Statement create(Connection pooled, StatementContext ctx) throws SQLException {
        return pooled.createStatement();
    }

    @Override
    public CallableStatement createCall(Connection pooled, String sql, StatementContext ctx) throws SQLException {
        return pooled.prepareCall(sql);
    }

    private static boolean isClosed(SQLiteConnection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** The connection's statements (one thread uses a connection at a time); a new connection first clears out closed ones'. */
    private Map<String, PreparedStatement> statements(SQLiteConnection connection) {
        Map<String, PreparedStatement> statements = byConnection.get(connection);
        if (statements != null) return statements;
        byConnection.keySet().removeIf(StatementCache::isClosed); // the pool retired them; their statements died with them
        return byConnection.computeIfAbsent(connection, c -> new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= PER_CONNECTION) return false;
                try {
                    eldest.getValue().close();
                } catch (SQLException e) {
                    // closing a statement of a live connection does not fail; if it did, the connection's close frees it
                }
                return true;
            }
        });
    }
}

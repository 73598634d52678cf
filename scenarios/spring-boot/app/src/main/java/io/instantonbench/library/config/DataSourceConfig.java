package io.instantonbench.library.config;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The connection pool, started on its first use: no connection is open when a checkpoint is taken after the
 * application started, and the database password is read from the environment then, so a checkpoint taken without it
 * holds none and a restore that is given it (instanton-bench's "restoreEnv") connects.
 */
@Configuration
public class DataSourceConfig {
  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  public HikariDataSource dataSource(DataSourceProperties properties) {
    return properties.initializeDataSourceBuilder().type(PasswordOnFirstUse.class).build();
  }

  /** A Hikari pool that takes DB_PASSWORD from the environment when it starts, if the environment holds it then. */
  public static class PasswordOnFirstUse extends HikariDataSource {
    private volatile boolean started;

    @Override
    public Connection getConnection() throws SQLException {
      if (!started) {
        synchronized (this) {
          if (!started) {
            String password = System.getenv("DB_PASSWORD");
            if (password != null && !password.isEmpty()) setPassword(password);
            started = true;
          }
        }
      }
      return super.getConnection();
    }
  }
}

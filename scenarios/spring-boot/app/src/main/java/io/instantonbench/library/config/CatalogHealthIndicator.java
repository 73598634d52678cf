package io.instantonbench.library.config;

import io.instantonbench.library.service.CatalogService;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** /actuator/health says the catalogue is readable and how many books it holds. */
@Component
public class CatalogHealthIndicator implements HealthIndicator {
  private final CatalogService catalog;

  public CatalogHealthIndicator(CatalogService catalog) {
    this.catalog = catalog;
  }

  @Override
  public Health health() {
    long books = catalog.bookCount();
    return (books > 0 ? Health.up() : Health.down()).withDetail("books", books).build();
  }
}

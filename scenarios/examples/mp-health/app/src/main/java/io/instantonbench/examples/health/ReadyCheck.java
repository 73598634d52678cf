package io.instantonbench.examples.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the application is up; reports the configured service name with it. */
@Readiness
@Liveness
@ApplicationScoped
public class ReadyCheck implements HealthCheck {

    @Inject
    @ConfigProperty(name = "service.name", defaultValue = "mp-health")
    String service;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("greeting").up().withData("service", service).build();
    }
}

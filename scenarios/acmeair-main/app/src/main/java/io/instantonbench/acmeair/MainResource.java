package io.instantonbench.acmeair;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.annotation.Counted;
import org.eclipse.microprofile.metrics.annotation.Timed;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The main service's own endpoints: runtime info, the services it fronts, a status probe. */
@Path("/info")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class MainResource {

    @Inject
    @ConfigProperty(name = "acmeair.services", defaultValue = "auth,booking,customer,flight")
    List<String> services;

    @Inject
    @ConfigProperty(name = "LOGGING_FORMAT", defaultValue = "json")
    String loggingFormat;

    @GET
    @Path("/config/runtime")
    @Counted(name = "runtimeInfoRequests")
    public Map<String, String> runtime() {
        return Map.of(
                "runtime", System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.version", "?"),
                "loggingFormat", loggingFormat);
    }

    @GET
    @Path("/services")
    @Timed(name = "serviceListTime")
    public List<String> services() {
        return services;
    }

    @GET
    @Path("/status")
    @Produces(MediaType.TEXT_PLAIN)
    public String status() {
        return "AcmeAir main service is up";
    }
}

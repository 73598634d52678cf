package io.instantonbench.examples.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** A greeting whose prefix comes from MicroProfile Config (server.env sets GREETING_PREFIX). */
@Path("/greeting")
@ApplicationScoped
public class GreetingResource {

    @Inject
    @ConfigProperty(name = "greeting.prefix", defaultValue = "Hello")
    String prefix;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String greet(@QueryParam("name") String name) {
        return prefix + ", " + (name == null ? "world" : name) + "!";
    }
}

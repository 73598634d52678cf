package io.instantonbench.pingperf;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The three Pingperf endpoints: /ping/simple, /ping/greeting?name= and /ping/hello.
 * The harness uses /ping/greeting as the first-response URL.
 */
@Path("/ping")
@ApplicationScoped
public class PingResource {

    @GET
    @Path("/simple")
    @Produces(MediaType.TEXT_PLAIN)
    public String simple() {
        return "ping";
    }

    @GET
    @Path("/greeting")
    @Produces(MediaType.TEXT_PLAIN)
    public String greeting(@QueryParam("name") String name) {
        String who = (name == null || name.isBlank()) ? "World" : name;
        return "Hello, " + who + "!";
    }

    @GET
    @Path("/hello")
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
        return "Hello from Pingperf";
    }
}

package io.instantonbench.examples.inventory;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A few JVM system properties as JSON: the host's inventory entry. */
@Path("/properties")
@RequestScoped
public class PropertiesResource {

    private static final String[] NAMES = {"os.name", "os.arch", "java.version", "java.vendor", "user.name"};

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject properties() {
        JsonObjectBuilder out = Json.createObjectBuilder();
        for (String name : NAMES) {
            out.add(name, System.getProperty(name, ""));
        }
        return out.build();
    }
}

package io.instantonbench.examples.inventory;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Items from the embedded Derby database; the connection is opened on first use, after a restore. */
@Path("/items")
@ApplicationScoped
public class ItemsResource {

    @Resource(lookup = "jdbc/inventory")
    DataSource inventory;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() throws SQLException {
        StringBuilder json = new StringBuilder("[");
        try (Connection c = inventory.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, name, quantity FROM item ORDER BY id");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (json.length() > 1) json.append(',');
                json.append(item(r));
            }
        }
        return json.append(']').toString();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public String one(@PathParam("id") int id) throws SQLException {
        try (Connection c = inventory.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, name, quantity FROM item WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) throw new NotFoundException();
                return item(r);
            }
        }
    }

    private static String item(ResultSet r) throws SQLException {
        return "{\"id\":" + r.getInt(1) + ",\"name\":\"" + r.getString(2) + "\",\"quantity\":" + r.getInt(3) + "}";
    }
}

package io.instantonbench.crud;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * /fruits CRUD over JPA with a JTA data source. Nothing here runs at application start, so
 * no database connection exists when Liberty takes its checkpoint.
 */
@Path("/fruits")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FruitResource {

    @PersistenceContext(unitName = "fruits")
    EntityManager em;

    @GET
    public List<Fruit> list() {
        return em.createNamedQuery("Fruits.findAll", Fruit.class).getResultList();
    }

    @GET
    @Path("/greeting")
    @Produces(MediaType.TEXT_PLAIN)
    public String greeting() {
        return "Hello from Rest CRUD";
    }

    @GET
    @Path("/{id}")
    public Fruit get(@PathParam("id") int id) {
        Fruit fruit = em.find(Fruit.class, id);
        if (fruit == null) {
            throw new WebApplicationException("Fruit with id " + id + " does not exist.", 404);
        }
        return fruit;
    }

    @POST
    @Transactional
    public Response create(Fruit fruit) {
        if (fruit == null || fruit.getId() != null) {
            throw new WebApplicationException("Id was invalidly set on request.", 422);
        }
        em.persist(fruit);
        return Response.status(201).entity(fruit).build();
    }

    @PUT
    @Path("/{id}")
    @Transactional
    public Fruit update(@PathParam("id") int id, Fruit fruit) {
        if (fruit == null || fruit.getName() == null) {
            throw new WebApplicationException("Fruit name was not set on request.", 422);
        }
        Fruit entity = em.find(Fruit.class, id);
        if (entity == null) {
            throw new WebApplicationException("Fruit with id " + id + " does not exist.", 404);
        }
        entity.setName(fruit.getName());
        return entity;
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    public Response delete(@PathParam("id") int id) {
        Fruit entity = em.find(Fruit.class, id);
        if (entity == null) {
            throw new WebApplicationException("Fruit with id " + id + " does not exist.", 404);
        }
        em.remove(entity);
        return Response.status(204).build();
    }
}

package io.instantonbench.crud;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** JAX-RS activation under the context root /crud. */
@ApplicationPath("/")
public class CrudApplication extends Application {
}

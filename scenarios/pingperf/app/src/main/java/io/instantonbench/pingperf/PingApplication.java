package io.instantonbench.pingperf;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** JAX-RS activation: every resource lives under /pingperf (the context root). */
@ApplicationPath("/")
public class PingApplication extends Application {
}

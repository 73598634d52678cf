package io.instantonbench.examples.inventory;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("/system")
public class SystemApplication extends Application {
}

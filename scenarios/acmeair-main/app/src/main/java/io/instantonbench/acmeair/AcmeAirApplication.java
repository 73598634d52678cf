package io.instantonbench.acmeair;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** REST under /acmeair/rest; the static UI is served from /acmeair/. */
@ApplicationPath("/rest")
@OpenAPIDefinition(info = @Info(title = "AcmeAir Main (instanton-bench)", version = "1.0"))
public class AcmeAirApplication extends Application {
}

package io.instantonbench.library.config;

import java.lang.management.ManagementFactory;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** /actuator/info names the JVM the application runs on (plain java -jar or inside Liberty). */
@Component
public class StartupInfoContributor implements InfoContributor {
  @Override
  public void contribute(Info.Builder builder) {
    builder.withDetail("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    builder.withDetail("uptimeMs", ManagementFactory.getRuntimeMXBean().getUptime());
  }
}

#!/bin/sh
# instanton-bench local base: `RUN configure.sh`, the build-time preparation. As the official
# images' configure.sh, it starts the server once and stops it, so the image holds Liberty's
# workarea (feature resolution, bundle cache) primed for the first start; the logs of that start
# are removed. The official images also fill OpenJ9's shared class cache here; this base runs
# HotSpot, whose class data sharing archive is part of the JDK image.
set -eu
exec /opt/ib/prime.sh

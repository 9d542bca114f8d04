package kubefake.server.cli;

import kubefake.server.ServerVersion;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"kubefake (serves Kubernetes " + ServerVersion.GIT_VERSION + ")"};
    }
}

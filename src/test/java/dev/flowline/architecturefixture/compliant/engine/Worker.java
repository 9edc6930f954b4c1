package dev.flowline.architecturefixture.compliant.engine;

import dev.flowline.architecturefixture.compliant.auth.SessionService;
import dev.flowline.architecturefixture.compliant.workspaces.WorkspaceService;

/** The engine may use every area. */
public class Worker {
    WorkspaceService workspaces;
    SessionService sessions;
}

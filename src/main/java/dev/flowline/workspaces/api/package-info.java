/** The HTTP face of workspaces, members, invitations, ownership offers, usage and the operators' plan override. Used by no other area. */
package dev.flowline.workspaces.api;

/** The HTTP face of accounts ({@code /me}): profile and settings. Used by no other area. */
package dev.flowline.users.api;

package dev.flowline.architecturefixture.unplaced.notifications;

public class Notifier {
}

package dev.flowline.architecturefixture.jsonprovider.users;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;

public class SettingsParser {

    JsonObject parse(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}

package dev.tocsin.protocol.filter;

import dev.tocsin.protocol.alert.Location;

import java.util.ArrayList;
import java.util.List;

/**
 * A geographic area: exactly one of a bounding box or a circle. On the wire
 * {@code {"bbox":{"minLat":..,"minLon":..,"maxLat":..,"maxLon":..}}} or
 * {@code {"circle":{"lat":..,"lon":..,"radiusKm":..}}}.
 */
public record Area(BoundingBox bbox, Circle circle) {

    private static final double EARTH_RADIUS_KM = 6371.0088;

    /** A box in degrees; {@code minLon > maxLon} crosses the antimeridian. */
    public record BoundingBox(double minLat, double minLon, double maxLat, double maxLon) {
    }

    /** A circle around a point, radius in kilometres (great-circle distance). */
    public record Circle(double lat, double lon, double radiusKm) {
    }

    /** Whether the location lies inside; a location without coordinates is never inside. */
    public boolean contains(Location location) {
        if (location == null || location.lat() == null || location.lon() == null) {
            return false;
        }
        double lat = location.lat();
        double lon = location.lon();
        if (bbox != null) {
            boolean inLat = lat >= bbox.minLat() && lat <= bbox.maxLat();
            boolean inLon = bbox.minLon() <= bbox.maxLon()
                    ? lon >= bbox.minLon() && lon <= bbox.maxLon()
                    : lon >= bbox.minLon() || lon <= bbox.maxLon();
            return inLat && inLon;
        }
        return circle != null && distanceKm(circle.lat(), circle.lon(), lat, lon) <= circle.radiusKm();
    }

    /** Haversine distance in kilometres. */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** Problems with this area, each as "field: message"; empty when valid. */
    public List<String> problems(String field) {
        List<String> problems = new ArrayList<>();
        if ((bbox == null) == (circle == null)) {
            problems.add(field + ": give exactly one of bbox or circle");
            return problems;
        }
        if (bbox != null) {
            latitude(problems, field + ".bbox.minLat", bbox.minLat());
            latitude(problems, field + ".bbox.maxLat", bbox.maxLat());
            longitude(problems, field + ".bbox.minLon", bbox.minLon());
            longitude(problems, field + ".bbox.maxLon", bbox.maxLon());
            if (bbox.minLat() > bbox.maxLat()) {
                problems.add(field + ".bbox: minLat must not exceed maxLat");
            }
        } else {
            latitude(problems, field + ".circle.lat", circle.lat());
            longitude(problems, field + ".circle.lon", circle.lon());
            if (!(circle.radiusKm() > 0 && circle.radiusKm() <= 20_040)) {
                problems.add(field + ".circle.radiusKm: must be > 0 and <= 20040");
            }
        }
        return problems;
    }

    private static void latitude(List<String> problems, String field, double value) {
        if (!(value >= -90 && value <= 90)) {
            problems.add(field + ": must be between -90 and 90");
        }
    }

    private static void longitude(List<String> problems, String field, double value) {
        if (!(value >= -180 && value <= 180)) {
            problems.add(field + ": must be between -180 and 180");
        }
    }
}

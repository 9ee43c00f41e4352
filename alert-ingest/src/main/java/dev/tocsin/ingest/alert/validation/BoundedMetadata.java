package dev.tocsin.ingest.alert.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Metadata within the configured limits ({@code tocsin.ingest.metadata.*}); see {@link MetadataLimits}. */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = BoundedMetadataValidator.class)
public @interface BoundedMetadata {
    String message() default "metadata exceeds the limits";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

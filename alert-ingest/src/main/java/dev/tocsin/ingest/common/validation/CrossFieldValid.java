package dev.tocsin.ingest.common.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Runs {@link CrossFieldChecked#crossFieldErrors()} as part of Bean Validation. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CrossFieldValidator.class)
public @interface CrossFieldValid {
    String message() default "invalid combination of fields";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

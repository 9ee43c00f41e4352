package dev.tocsin.ingest.common.validation;

import dev.tocsin.ingest.common.problem.FieldError;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import java.util.List;

/** Reports each broken cross-field rule as a violation of the named field, so the problem body names it. */
public class CrossFieldValidator implements ConstraintValidator<CrossFieldValid, CrossFieldChecked> {

    @Override
    public boolean isValid(CrossFieldChecked value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        List<FieldError> errors = value.crossFieldErrors();
        if (errors.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        for (FieldError error : errors) {
            context.buildConstraintViolationWithTemplate(escape(error.message()))
                    .addPropertyNode(error.field())
                    .addConstraintViolation();
        }
        return false;
    }

    /** Messages are literal text, not EL/message templates. */
    private static String escape(String message) {
        return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}

// Package errs defines the typed errors that services return and the single
// place where they are mapped to HTTP status codes.
//
// A service error carries two messages: Message, safe to show to the client
// (it names the field and says what to do), and Err, the internal cause that
// goes to the log only. errs never imports a domain package.
package errs

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Kind classifies an error for the client.
type Kind int

const (
	KindInternal Kind = iota
	KindInvalid
	KindUnauthorized
	KindForbidden
	KindNotFound
	KindConflict
	KindTooMany
	KindBlocked
)

// FieldError is one problem with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the error type every service returns for a client-visible failure.
type Error struct {
	Kind       Kind
	Message    string       // safe for the client
	Fields     []FieldError // per-field problems, for KindInvalid
	RetryAfter time.Duration
	Err        error // internal cause, never shown to the client
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Invalid reports a problem with one field; message says what to do.
func Invalid(field, message string) *Error {
	return &Error{Kind: KindInvalid, Message: message, Fields: []FieldError{{Field: field, Message: message}}}
}

// Fields reports several field problems at once. Entries with no Field are
// skipped and it returns nil when none is left, so callers can collect
// problems and return Fields(fs...) unconditionally.
func Fields(fs ...FieldError) error {
	var kept []FieldError
	for _, f := range fs {
		if f.Field != "" {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: kept[0].Message, Fields: kept}
}

// Unauthorized means the caller is not signed in or its credentials are wrong.
func Unauthorized(message string) *Error { return &Error{Kind: KindUnauthorized, Message: message} }

// Forbidden means the caller is known but may not do this.
func Forbidden(message string) *Error { return &Error{Kind: KindForbidden, Message: message} }

// NotFound means the target does not exist or is not visible to the caller.
func NotFound(message string) *Error { return &Error{Kind: KindNotFound, Message: message} }

// Conflict means the request clashes with existing state (a taken username).
func Conflict(field, message string) *Error {
	e := &Error{Kind: KindConflict, Message: message}
	if field != "" {
		e.Fields = []FieldError{{Field: field, Message: message}}
	}
	return e
}

// TooMany means the caller must wait before trying again.
func TooMany(message string, retryAfter time.Duration) *Error {
	return &Error{Kind: KindTooMany, Message: message, RetryAfter: retryAfter}
}

// Internal wraps an unexpected failure; the client sees a generic message.
func Internal(err error, format string, args ...any) *Error {
	return &Error{Kind: KindInternal, Message: "Something went wrong on our side. Please try again.", Err: fmt.Errorf(format+": %w", append(args, err)...)}
}

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is reports whether err is an *Error of kind k.
func Is(err error, k Kind) bool {
	e := As(err)
	return e != nil && e.Kind == k
}

// FieldMessage returns the message for field in err, or "".
func FieldMessage(err error, field string) string {
	if e := As(err); e != nil {
		for _, f := range e.Fields {
			if f.Field == field {
				return f.Message
			}
		}
	}
	return ""
}

// Status maps err to an HTTP status code. Errors that are not *Error are 500.
func Status(err error) int {
	e := As(err)
	if e == nil {
		return http.StatusInternalServerError
	}
	switch e.Kind {
	case KindInvalid:
		return http.StatusUnprocessableEntity
	case KindUnauthorized:
		return http.StatusUnauthorized
	case KindForbidden:
		return http.StatusForbidden
	case KindNotFound:
		return http.StatusNotFound
	case KindConflict:
		return http.StatusConflict
	case KindTooMany:
		return http.StatusTooManyRequests
	case KindBlocked:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// PublicMessage is what the client may see for err.
func PublicMessage(err error) string {
	if e := As(err); e != nil && e.Kind != KindInternal {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

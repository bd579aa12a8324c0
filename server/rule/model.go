package rule

// Match says whether a group needs ALL or ANY of its conditions.
type Match string

// The two ways a group combines its conditions.
const (
	MatchAll Match = "ALL"
	MatchAny Match = "ANY"
)

// CustomerField is a customer attribute a condition tests.
type CustomerField string

// Customer fields, as named in the GraphQL API.
const (
	FieldEmail           CustomerField = "EMAIL"
	FieldFirstName       CustomerField = "FIRST_NAME"
	FieldLastName        CustomerField = "LAST_NAME"
	FieldPhone           CustomerField = "PHONE"
	FieldZip             CustomerField = "ZIP"
	FieldCity            CustomerField = "CITY"
	FieldRegion          CustomerField = "REGION"
	FieldCountry         CustomerField = "COUNTRY"
	FieldGroup           CustomerField = "GROUP"
	FieldWebsite         CustomerField = "WEBSITE"
	FieldCustomerSince   CustomerField = "CUSTOMER_SINCE"
	FieldDaysSinceSignup CustomerField = "DAYS_SINCE_SIGNUP"
)

// OrderMeasure is a per-customer aggregate over orders.
type OrderMeasure string

// Order measures, as named in the GraphQL API.
const (
	MeasureOrderCount         OrderMeasure = "ORDER_COUNT"
	MeasureSalesTotal         OrderMeasure = "SALES_TOTAL"
	MeasureAverageOrderValue  OrderMeasure = "AVERAGE_ORDER_VALUE"
	MeasureDaysSinceLastOrder OrderMeasure = "DAYS_SINCE_LAST_ORDER"
)

// Operator compares a field or measure with a condition's values.
type Operator string

// Operators, as named in the GraphQL API.
const (
	OpEq          Operator = "EQ"
	OpNeq         Operator = "NEQ"
	OpGt          Operator = "GT"
	OpGte         Operator = "GTE"
	OpLt          Operator = "LT"
	OpLte         Operator = "LTE"
	OpBetween     Operator = "BETWEEN"
	OpIn          Operator = "IN"
	OpNotIn       Operator = "NOT_IN"
	OpContains    Operator = "CONTAINS"
	OpNotContains Operator = "NOT_CONTAINS"
	OpStartsWith  Operator = "STARTS_WITH"
	OpIsEmpty     Operator = "IS_EMPTY"
	OpIsNotEmpty  Operator = "IS_NOT_EMPTY"
)

// Group is a node of the rule tree: "if ALL/ANY of these conditions are
// TRUE/FALSE". A segment's rule is its root Group; it is stored as JSON in
// segments.conditions in exactly this shape.
type Group struct {
	Match      Match       `json:"match"`
	Expect     bool        `json:"expect"`
	Conditions []Condition `json:"conditions"`
}

// Condition is one child of a Group: exactly one of its fields is set.
type Condition struct {
	Group    *Group             `json:"group,omitempty"`
	Customer *CustomerCondition `json:"customer,omitempty"`
	Orders   *OrderCondition    `json:"orders,omitempty"`
}

// CustomerCondition tests one customer attribute.
type CustomerCondition struct {
	Field    CustomerField `json:"field"`
	Operator Operator      `json:"operator"`
	Values   []string      `json:"values"`
}

// OrderCondition tests one aggregate over the customer's orders, optionally
// only those placed in the last WithinDays days and in the given statuses.
type OrderCondition struct {
	Measure    OrderMeasure `json:"measure"`
	Operator   Operator     `json:"operator"`
	Values     []string     `json:"values"`
	WithinDays *int         `json:"withinDays,omitempty"`
	Statuses   []string     `json:"statuses,omitempty"`
}

// HasCustomerCondition reports whether g holds a condition on the
// customer's own fields, at any depth.
func (g *Group) HasCustomerCondition() bool {
	for _, c := range g.Conditions {
		if c.Customer != nil || c.Group != nil && c.Group.HasCustomerCondition() {
			return true
		}
	}
	return false
}

package bitbuckettest

// permission is one Bitbucket permission (§3). Within each scope the values
// are ordered lowest first, so max() picks the highest of two grants.
type permission uint8

const (
	permNone permission = iota
	permRepoRead
	permRepoWrite
	permRepoAdmin
	permProjectRead
	permProjectWrite
	permRepoCreate // §3: 8.2+, sits between PROJECT_WRITE and PROJECT_ADMIN
	permProjectAdmin
	permLicensedUser
	permProjectCreate
	permAdmin
	permSysAdmin
)

var permissionNames = [...]string{
	permNone:          "",
	permRepoRead:      "REPO_READ",
	permRepoWrite:     "REPO_WRITE",
	permRepoAdmin:     "REPO_ADMIN",
	permProjectRead:   "PROJECT_READ",
	permProjectWrite:  "PROJECT_WRITE",
	permRepoCreate:    "REPO_CREATE",
	permProjectAdmin:  "PROJECT_ADMIN",
	permLicensedUser:  "LICENSED_USER",
	permProjectCreate: "PROJECT_CREATE",
	permAdmin:         "ADMIN",
	permSysAdmin:      "SYS_ADMIN",
}

func (p permission) String() string { return permissionNames[p] }

// parsePermission returns permNone for anything that is not a grantable
// permission name. Assumption: names are case-sensitive, as Java enum
// parsing is; PROJECT_VIEW and USER_ADMIN are never grantable (§3).
func parsePermission(s string) permission {
	for p, name := range permissionNames {
		if p != int(permNone) && name == s {
			return permission(p)
		}
	}
	return permNone
}

// scopeKind says where a grant lives.
type scopeKind uint8

const (
	scopeGlobal scopeKind = iota
	scopeProject
	scopeRepo
)

func (k scopeKind) String() string {
	return [...]string{"global", "project", "repository"}[k]
}

// scope is the scope at which p can be granted (§3 "Valid values per endpoint").
func (p permission) scope() scopeKind {
	switch {
	case p >= permRepoRead && p <= permRepoAdmin:
		return scopeRepo
	case p >= permProjectRead && p <= permProjectAdmin:
		return scopeProject
	default:
		return scopeGlobal
	}
}

// onRepo is what p implies on a repository: project permissions are inherited
// by the project's repositories, and ADMIN/SYS_ADMIN imply everything (§3).
func (p permission) onRepo() permission {
	switch p {
	case permRepoRead, permRepoWrite, permRepoAdmin:
		return p
	case permProjectRead:
		return permRepoRead
	case permProjectWrite, permRepoCreate:
		return permRepoWrite
	case permProjectAdmin, permAdmin, permSysAdmin:
		return permRepoAdmin
	}
	return permNone
}

// onProject is what p implies on a project.
func (p permission) onProject() permission {
	switch {
	case p.scope() == scopeProject:
		return p
	case p == permAdmin || p == permSysAdmin:
		return permProjectAdmin
	}
	return permNone
}

// validFor lists the values a PUT at scope k accepts, for error messages.
func validFor(k scopeKind) string {
	switch k {
	case scopeRepo:
		return "REPO_READ, REPO_WRITE, REPO_ADMIN"
	case scopeProject:
		return "PROJECT_READ, PROJECT_WRITE, REPO_CREATE, PROJECT_ADMIN"
	}
	return "LICENSED_USER, PROJECT_CREATE, ADMIN, SYS_ADMIN"
}

import factory
from django.conf import settings

from apps.org.models import Department, Membership, Organisation, RoleTier, Store, StoreKind, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试集团{n}")
    code = factory.Sequence(lambda n: f"org{n}")


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"测试营业厅{n}")
    code = factory.Sequence(lambda n: f"store{n}")
    kind = StoreKind.BUSINESS_HALL


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"部门{n}")
    code = factory.Sequence(lambda n: f"dept{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"员工{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    tier = RoleTier.CLERK


def member(store, tier, username=None, **kwargs) -> User:
    """A user with one membership of `tier` in `store`."""
    user = UserFactory(**({"username": username} if username else {}), **kwargs)
    MembershipFactory(user=user, store=store, tier=tier)
    return user


def web_request(address: str = "10.0.0.1"):
    """A request from `address`, as a service that checks a typed password needs (the lockout
    counts failures per user name and per address)."""
    from django.test import RequestFactory

    return RequestFactory().post("/", REMOTE_ADDR=address)

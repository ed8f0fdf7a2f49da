# Stand-in for kornia, which Debian does not package. The published augmentation pipe calls kornia.augmentation
# only inside `if random.random() < prob` branches, so with --prob_augm 0 nothing here is ever used; any real use
# fails with AttributeError.
from . import augmentation

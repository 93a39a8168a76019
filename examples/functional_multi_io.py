"""The functional API guide's ticket classifier: three inputs, two named outputs.

A ticket's title and body (word indices) and its tags (multi-hot) predict its priority (a
score) and the department that should handle it (4 classes). Synthetic tickets, as in the
guide. Run with `python examples/functional_multi_io.py`.
"""

import numpy as np

import kerastorch as keras
from kerastorch import layers

keras.utils.set_random_seed(0)
num_tags = 12  # Number of unique issue tags
num_words = 10000  # Size of vocabulary obtained when preprocessing text data
num_departments = 4  # Number of departments for predictions

title_input = keras.Input(shape=(None,), name="title")  # Variable-length sequence of ints
body_input = keras.Input(shape=(None,), name="body")  # Variable-length sequence of ints
tags_input = keras.Input(shape=(num_tags,), name="tags")  # Binary vectors of size `num_tags`

# Embed each word in the title and the body into a 64-dimensional vector.
title_features = layers.Embedding(num_words, 64)(title_input)
body_features = layers.Embedding(num_words, 64)(body_input)

# Reduce the sequence of embedded words into a single 128-dimensional vector.
title_features = layers.LSTM(128)(title_features)
body_features = layers.LSTM(32)(body_features)

# Merge all available features into a single large vector via concatenation.
x = layers.concatenate([title_features, body_features, tags_input])

# Stick a logistic regression for priority prediction on top of the features.
priority_pred = layers.Dense(1, name="priority")(x)
# Stick a department classifier on top of the features.
department_pred = layers.Dense(num_departments, name="department")(x)

model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs={"priority": priority_pred, "department": department_pred},
)
model.summary()

model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "priority": keras.losses.BinaryCrossentropy(from_logits=True),
        "department": keras.losses.CategoricalCrossentropy(from_logits=True),
    },
    loss_weights={"priority": 1.0, "department": 0.2},
)

# Dummy input data
title_data = np.random.randint(num_words, size=(1280, 10))
body_data = np.random.randint(num_words, size=(1280, 100))
tags_data = np.random.randint(2, size=(1280, num_tags)).astype("float32")

# Dummy target data
priority_targets = np.random.random(size=(1280, 1))
dept_targets = np.random.randint(2, size=(1280, num_departments))

history = model.fit(
    {"title": title_data, "body": body_data, "tags": tags_data},
    {"priority": priority_targets, "department": dept_targets},
    epochs=2,
    batch_size=32,
)
predictions = model.predict(
    {"title": title_data[:4], "body": body_data[:4], "tags": tags_data[:4]}, verbose=0
)
print("priority:", predictions["priority"].shape, "department:", predictions["department"].shape)
